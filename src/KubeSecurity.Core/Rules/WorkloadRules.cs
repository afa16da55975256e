using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>
/// Rules of workload hardening: the Pod Security Standards controls (Baseline and Restricted),
/// Pod Security Admission labels, multi-tenancy basics and admission webhooks that weaken enforcement.
/// </summary>
public static class WorkloadRules
{
    public const string Category = "Workloads";
    public const string HostProcess = "KSEC-POD-001";
    public const string HostNamespaces = "KSEC-POD-002";
    public const string Privileged = "KSEC-POD-003";
    public const string BaselineCapabilities = "KSEC-POD-004";
    public const string HostPath = "KSEC-POD-005";
    public const string HostPorts = "KSEC-POD-006";
    public const string AppArmor = "KSEC-POD-007";
    public const string SeLinux = "KSEC-POD-008";
    public const string ProcMount = "KSEC-POD-009";
    public const string SeccompUnconfined = "KSEC-POD-010";
    public const string Sysctls = "KSEC-POD-011";
    public const string VolumeTypes = "KSEC-POD-012";
    public const string PrivilegeEscalation = "KSEC-POD-013";
    public const string RunAsNonRoot = "KSEC-POD-014";
    public const string RunAsRootUser = "KSEC-POD-015";
    public const string SeccompRequired = "KSEC-POD-016";
    public const string DropAllCapabilities = "KSEC-POD-017";
    public const string PsaEnforceMissing = "KSEC-POD-018";
    public const string PsaPrivileged = "KSEC-POD-019";
    public const string PsaAuditWithoutEnforce = "KSEC-POD-020";
    public const string NoResourceLimits = "KSEC-POD-021";
    public const string NoQuotaOrLimitRange = "KSEC-POD-022";
    public const string MutableImageTag = "KSEC-POD-023";
    public const string ImageNotPinned = "KSEC-POD-024";
    public const string PullPolicy = "KSEC-POD-025";
    public const string WebhookFailOpen = "KSEC-POD-026";
    public const string WebhookExemptions = "KSEC-POD-027";
    public const string WebhookTimeout = "KSEC-POD-028";
    public const string WritableRootFilesystem = "KSEC-POD-029";
    public const string NakedPod = "KSEC-POD-030";
    public const string NoResourceRequests = "KSEC-POD-031";
    public const string MissingServiceAccount = "KSEC-POD-032";
    public const string DeprecatedField = "KSEC-POD-033";
    public const string DefaultNamespace = "KSEC-POD-034";

    private const string Pss = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
    private const string Psa = "https://kubernetes.io/docs/concepts/security/pod-security-admission/";

    private static SecurityRule Rule(string id, string title, Severity severity, string description, string remediation, params string[] references) =>
        new(id, title, severity, Category, description, remediation, references);

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        Rule(HostProcess, "Windows HostProcess container", Severity.Critical, "A Windows container runs as a HostProcess: it has full access to the node.", "Remove windowsOptions.hostProcess.", "PSS Baseline: HostProcess", Pss, "MITRE ATT&CK T1611"),
        Rule(HostNamespaces, "Host namespaces shared", Severity.High, "The pod shares the node's network, PID or IPC namespace: it sees and can reach the node's processes and interfaces.", "Remove hostNetwork, hostPID and hostIPC.", "PSS Baseline: Host Namespaces", "CIS Kubernetes Benchmark 5.2.2, 5.2.3, 5.2.4", Pss, "MITRE ATT&CK T1611"),
        Rule(Privileged, "Privileged container", Severity.Critical, "A privileged container has all capabilities and device access: it can take over the node.", "Remove securityContext.privileged; grant only the specific capabilities needed.", "PSS Baseline: Privileged Containers", "CIS Kubernetes Benchmark 5.2.1", Pss, "MITRE ATT&CK T1611"),
        Rule(BaselineCapabilities, "Capabilities beyond the Baseline set", Severity.High, "A container adds Linux capabilities outside the Baseline set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT), such as SYS_ADMIN or NET_ADMIN.", "Drop the extra capabilities; redesign what needs them.", "PSS Baseline: Capabilities", "CIS Kubernetes Benchmark 5.2.8", Pss, "MITRE ATT&CK T1611"),
        Rule(HostPath, "hostPath volume", Severity.High, "A hostPath volume mounts the node's file system into the pod; / or the container runtime socket is a node takeover.", "Use persistent volumes, configMaps or emptyDir instead.", "PSS Baseline: HostPath Volumes", "CIS Kubernetes Benchmark 5.2.12", Pss, "MITRE ATT&CK T1611"),
        Rule(HostPorts, "Host port", Severity.Medium, "A container binds a port on the node's address, bypassing Services and NetworkPolicy.", "Expose the port through a Service instead.", "PSS Baseline: Host Ports", "CIS Kubernetes Benchmark 5.2.13", Pss),
        Rule(AppArmor, "AppArmor disabled", Severity.Medium, "The AppArmor profile is set to something Baseline does not allow: appArmorProfile type other than RuntimeDefault or Localhost (Unconfined above all), or an annotation other than runtime/default or localhost/<profile>, which removes or overrides a kernel-level confinement.", "Use the runtime/default (RuntimeDefault) or a localhost profile.", "PSS Baseline: AppArmor", Pss),
        Rule(SeLinux, "Custom SELinux options", Severity.Medium, "seLinuxOptions set a user, a role or a type outside container_t, container_init_t, container_kvm_t and container_engine_t, which can escape the container's SELinux confinement.", "Remove seLinuxOptions user and role and use an allowed type.", "PSS Baseline: SELinux", Pss),
        Rule(ProcMount, "Unmasked /proc", Severity.Medium, "procMount is Unmasked: the container sees /proc paths the runtime normally masks.", "Remove procMount or set it to Default.", "PSS Baseline: /proc Mount Type", Pss),
        Rule(SeccompUnconfined, "Seccomp profile Unconfined", Severity.Medium, "The seccomp profile is explicitly Unconfined, so every system call is allowed.", "Use seccompProfile type RuntimeDefault or Localhost.", "PSS Baseline: Seccomp", "CIS Kubernetes Benchmark 5.7.2", Pss),
        Rule(Sysctls, "Unsafe sysctls", Severity.High, "The pod sets sysctls outside the safe set, which can affect the whole node.", "Remove the sysctls or set them on the node.", "PSS Baseline: Sysctls", Pss),
        Rule(VolumeTypes, "Volume type outside the Restricted set", Severity.Low, "The pod uses a volume type other than configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret.", "Use one of the allowed volume types.", "PSS Restricted: Volume Types", Pss),
        Rule(PrivilegeEscalation, "Privilege escalation allowed", Severity.Medium, "allowPrivilegeEscalation is not false, so setuid binaries and file capabilities can raise the process's privileges.", "Set securityContext.allowPrivilegeEscalation: false on every container.", "PSS Restricted: Privilege Escalation", "CIS Kubernetes Benchmark 5.2.6", Pss),
        Rule(RunAsNonRoot, "Not required to run as non-root", Severity.Medium, "Neither the pod nor the container sets runAsNonRoot: true, so the image may run as root.", "Set runAsNonRoot: true (and a non-zero runAsUser) on the pod.", "PSS Restricted: Running as Non-root", "CIS Kubernetes Benchmark 5.2.7", Pss),
        Rule(RunAsRootUser, "Runs as user 0", Severity.High, "runAsUser is 0: the container runs as root.", "Run as a non-zero user id.", "PSS Restricted: Running as Non-root user", "CIS Kubernetes Benchmark 5.2.7", Pss),
        Rule(SeccompRequired, "No seccomp profile", Severity.Low, "Neither the pod nor every container sets seccompProfile RuntimeDefault or Localhost.", "Set spec.securityContext.seccompProfile.type: RuntimeDefault.", "PSS Restricted: Seccomp", "CIS Kubernetes Benchmark 5.7.2", Pss),
        Rule(DropAllCapabilities, "Capabilities not dropped", Severity.Low, "The container does not drop ALL capabilities (or adds something other than NET_BIND_SERVICE).", "Set capabilities.drop: [ALL]; add back only NET_BIND_SERVICE if needed.", "PSS Restricted: Capabilities", "CIS Kubernetes Benchmark 5.2.9", Pss),
        Rule(PsaEnforceMissing, "Namespace without a Pod Security enforce level", Severity.Medium, "The namespace has no pod-security.kubernetes.io/enforce label, so Pod Security Admission falls back to the cluster default (usually privileged).", "Label the namespace pod-security.kubernetes.io/enforce=baseline (or restricted).", Psa, "CIS Kubernetes Benchmark 5.2.1"),
        Rule(PsaPrivileged, "Namespace enforces the privileged level", Severity.High, "pod-security.kubernetes.io/enforce=privileged outside the system namespaces lets any pod run there, privileged included.", "Enforce baseline or restricted; move node agents to a dedicated, tightly controlled namespace.", Psa),
        Rule(PsaAuditWithoutEnforce, "Pod Security audit or warn without enforce", Severity.Low, "The namespace audits or warns at a level but enforces nothing: violations are logged, not blocked.", "Add an enforce label once the warnings are fixed.", Psa),
        Rule(NoResourceLimits, "Container without CPU or memory limits", Severity.Low, "A container has no CPU or memory limit; one workload can starve its neighbours (denial of service across tenants).", "Set resources.limits for cpu and memory, or a LimitRange default.", "CIS Kubernetes Benchmark 5.7.x", "NSA/CISA Kubernetes Hardening Guide: resource policies"),
        Rule(WritableRootFilesystem, "Writable root filesystem", Severity.Low, "The container does not set readOnlyRootFilesystem: true, so a compromised process can change the image's binaries and configuration and keep tools it downloads.", "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the application must write.", "NSA/CISA Kubernetes Hardening Guide: immutable container file systems"),
        Rule(NakedPod, "Pod without a controller", Severity.Low, "A Pod that no Deployment, StatefulSet, DaemonSet, Job or other controller owns: it is not recreated when its node fails, is easily forgotten, and often is a debug or test pod left running.", "Run it from a controller (a Deployment or a Job), or delete it once it has served its purpose."),
        Rule(NoResourceRequests, "Container without CPU or memory requests", Severity.Low, "A container has no CPU or memory request, set or defaulted (from its limit or a LimitRange): the scheduler places it as if it needed nothing, nodes get overcommitted, and under memory pressure it is among the first evicted (BestEffort quality of service).", "Set resources.requests for cpu and memory, or a LimitRange defaultRequest for the namespace.", "NSA/CISA Kubernetes Hardening Guide: resource policies", "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"),
        Rule(MissingServiceAccount, "Workload uses a service account that does not exist", Severity.Medium, "The pod template names a service account that the input does not hold in its namespace: the ServiceAccount admission controller rejects the pods, and whoever creates an account of that name later decides what the workload can do (its RBAC grants may already be waiting for it).", "Create the service account with the workload (and only the grants it needs), or fix the name in serviceAccountName.", "https://kubernetes.io/docs/concepts/security/service-accounts/"),
        Rule(DeprecatedField, "Deprecated security field or annotation", Severity.Low, "The workload uses a deprecated field or annotation: spec.serviceAccount (alias of serviceAccountName), the seccomp annotations (replaced by securityContext.seccompProfile, no longer applied from Kubernetes 1.27) or the AppArmor annotations (replaced by securityContext.appArmorProfile in 1.30). A protection written as an ignored annotation is no protection.", "Move the setting to the field that replaces it and remove the annotation.", "https://kubernetes.io/docs/tutorials/security/seccomp/", "https://kubernetes.io/docs/tutorials/security/apparmor/"),
        Rule(DefaultNamespace, "Workload in the default namespace", Severity.Low, "The workload runs in the default namespace, where every user and tool lands when no namespace is given: its pods share RBAC, quotas and network policies with whatever else is created there by accident. Manifests without a namespace are not counted (they take one when applied).", "Move the workload to a namespace of its own, with its own RBAC, ResourceQuota and NetworkPolicy.", "CIS Kubernetes Benchmark 5.7.4", "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"),
        Rule(NoQuotaOrLimitRange, "Namespace without ResourceQuota or LimitRange", Severity.Low, "The namespace has workloads but no ResourceQuota or no LimitRange.", "Add a ResourceQuota and a LimitRange with default limits."),
        Rule(MutableImageTag, "Image with :latest or no tag", Severity.Medium, "The image uses :latest or no tag: what runs changes with every push and cannot be audited or rolled back.", "Use an immutable version tag, or better a digest."),
        Rule(ImageNotPinned, "Image not pinned by digest", Severity.Low, "The image is referenced by tag, or by a digest that is not a valid sha256 (64 hex digits) or sha512 (128 hex digits) one as the OCI image spec defines them; a re-pushed tag silently changes the code that runs.", "Reference images by digest (image@sha256:...)."),
        Rule(PullPolicy, "imagePullPolicy not Always for a mutable tag", Severity.Low, "A mutable tag is combined with imagePullPolicy IfNotPresent or Never: nodes run whatever version they cached.", "Pin by digest, or set imagePullPolicy: Always."),
        Rule(WebhookFailOpen, "Security admission webhook fails open", Severity.High, "A validating or mutating webhook has failurePolicy: Ignore: when it is down or slow, requests pass unchecked.", "Set failurePolicy: Fail for policy webhooks and run them highly available."),
        Rule(WebhookExemptions, "Admission webhook exempts namespaces or objects", Severity.Medium, "A webhook's namespaceSelector or objectSelector leaves namespaces or objects out of its checks.", "Keep exemptions to system namespaces and review them."),
        Rule(WebhookTimeout, "Admission webhook with a long timeout", Severity.Low, "timeoutSeconds above 10 makes API requests hang when the webhook is slow (and with Ignore, a slow webhook is bypassed).", "Keep webhook timeouts at a few seconds."),
    };
}
