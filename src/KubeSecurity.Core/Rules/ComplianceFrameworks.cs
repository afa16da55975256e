namespace KubeSecurity.Core.Rules;

/// <summary>
/// One control of a framework as the catalogue states it. <see cref="RuleIds"/> are the rules whose
/// findings decide it (any finding at Low or above fails it); a control with none is not checkable
/// from the Kubernetes API, for <see cref="NotCheckableReason"/>. <see cref="Match"/>, when set,
/// narrows a shared rule to the findings whose message names it (hostPID, not every host namespace).
/// </summary>
public sealed record ComplianceControl(string ControlId, string Title, string Section, IReadOnlyList<string> RuleIds, string? NotCheckableReason = null)
{
    public string? Match { get; init; }

    /// <summary>A limit of the mapping: what part of the control's text the rules do not decide.</summary>
    public string? Note { get; init; }
}

/// <summary>A framework: its name as -Framework takes it, the edition the mapping follows, and its controls in document order.</summary>
public sealed record ComplianceFramework(string Name, string Title, string Version, string Url, string Meaning, IReadOnlyList<ComplianceControl> Controls);

/// <summary>
/// The compliance frameworks and which rules decide each control: the CIS Kubernetes Benchmark,
/// the NSA/CISA Kubernetes Hardening Guidance, the Pod Security Standards and MITRE ATT&amp;CK for
/// Containers. Facts only; how an audit's findings become statuses lives with the audit.
/// </summary>
public static class ComplianceFrameworks
{
    private const string NodeFiles = "file permissions and ownership on the node are not visible through the Kubernetes API (check them on the node, for example with kube-bench)";
    private const string Judgement = "the benchmark leaves the value to judgement: there is no threshold to compare with";
    private const string Organisational = "an organisational choice the cluster's objects do not show";

    private static ComplianceControl C(string id, string title, string section, params string[] rules) => new(id, title, section, rules);

    private static ComplianceControl NotCheckable(string id, string title, string section, string reason) => new(id, title, section, Array.Empty<string>(), reason);

    public static ComplianceFramework Cis { get; } = new("CIS", "CIS Kubernetes Benchmark", "v1.9.0", "https://www.cisecurity.org/benchmark/kubernetes",
        "Passed: every rule that decides the control ran and found nothing.", CisControls().ToList());

    public static ComplianceFramework Nsa { get; } = new("NSA", "NSA/CISA Kubernetes Hardening Guidance", "v1.2 (August 2022)",
        "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        "Each control is one recommendation of the guide that rules can decide from the cluster's objects; Passed means none of its rules found a problem.", new[]
        {
            C("NSA-1.1", "Containers run as non-root users", "Pod security", WorkloadRules.RunAsNonRoot, WorkloadRules.RunAsRootUser),
            C("NSA-1.2", "Container file systems are immutable (read-only root)", "Pod security", WorkloadRules.WritableRootFilesystem),
            C("NSA-1.3", "No privileged containers and no privilege escalation", "Pod security", WorkloadRules.Privileged, WorkloadRules.PrivilegeEscalation),
            C("NSA-1.4", "Pods do not share the host's namespaces, file system or processes", "Pod security", WorkloadRules.HostNamespaces, WorkloadRules.HostPath, WorkloadRules.HostProcess),
            C("NSA-1.5", "Pod security is enforced in every namespace", "Pod security", WorkloadRules.PsaEnforceMissing, WorkloadRules.PsaPrivileged),
            C("NSA-1.6", "Service account tokens are mounted only where needed and not long-lived", "Pod security", "KSEC-SEC-006", "KSEC-SEC-005"),
            C("NSA-1.7", "Containers run under seccomp, AppArmor or SELinux confinement", "Pod security", WorkloadRules.SeccompUnconfined, WorkloadRules.SeccompRequired, WorkloadRules.AppArmor, WorkloadRules.SeLinux, "KSEC-KUBELET-013"),
            NotCheckable("NSA-1.8", "Images come from trusted repositories and are scanned", "Pod security", "image contents and registry trust are not visible in the cluster's objects"),
            C("NSA-2.1", "Network policies isolate workloads (default deny)", "Network separation and hardening", "KSEC-NET-001", "KSEC-NET-002", "KSEC-NET-003", "KSEC-NET-012"),
            C("NSA-2.2", "Resource policies limit what workloads consume", "Network separation and hardening", WorkloadRules.NoResourceLimits, WorkloadRules.NoQuotaOrLimitRange, WorkloadRules.NoResourceRequests),
            C("NSA-2.3", "The API server refuses anonymous requests and authorizes with Node and RBAC", "Network separation and hardening", "KSEC-CP-002", "KSEC-CP-007", "KSEC-CP-008", "KSEC-CP-009"),
            C("NSA-2.4", "etcd is reached only over TLS with client certificates", "Network separation and hardening", "KSEC-CP-023", "KSEC-CP-026", "KSEC-CP-038", "KSEC-CP-039", "KSEC-CP-041", "KSEC-CP-042"),
            C("NSA-2.5", "Control-plane traffic uses TLS 1.2 or later with strong ciphers", "Network separation and hardening", "KSEC-CP-024", "KSEC-CP-025", "KSEC-CP-027", "KSEC-CP-028", "KSEC-KUBELET-011"),
            C("NSA-2.6", "Kubelets authenticate and authorize every request", "Network separation and hardening", "KSEC-KUBELET-002", "KSEC-KUBELET-003", "KSEC-KUBELET-004", "KSEC-KUBELET-005"),
            C("NSA-2.7", "Secrets are encrypted at rest", "Network separation and hardening", "KSEC-ENC-001", "KSEC-ENC-002", "KSEC-ENC-003"),
            C("NSA-2.8", "Traffic into the cluster is encrypted (TLS on Ingress)", "Network separation and hardening", "KSEC-NET-013"),
            NotCheckable("NSA-2.9", "Worker nodes are segmented and the cloud metadata service is blocked", "Network separation and hardening", "node network segmentation and cloud firewall rules are outside the Kubernetes API"),
            C("NSA-3.1", "Anonymous access is disabled", "Authentication and authorization", "KSEC-CP-002", "KSEC-RBAC-014", "KSEC-KUBELET-002"),
            C("NSA-3.2", "RBAC grants least privilege (no cluster-admin or wildcards beyond need)", "Authentication and authorization", "KSEC-RBAC-001", "KSEC-RBAC-002", "KSEC-RBAC-024"),
            C("NSA-3.3", "Escalation verbs (bind, escalate, impersonate) are restricted", "Authentication and authorization", "KSEC-RBAC-006", "KSEC-RBAC-007"),
            C("NSA-3.4", "Read access to secrets is restricted", "Authentication and authorization", "KSEC-RBAC-003", "KSEC-SEC-007"),
            C("NSA-3.5", "Users do not authenticate with static tokens or client certificates", "Authentication and authorization", "KSEC-CP-003", CertificateRules.KubeconfigClientCertificate),
            C("NSA-4.1", "API server audit logging is on, with retention", "Audit logging and threat detection", "KSEC-CP-017", "KSEC-CP-018", "KSEC-CP-019", "KSEC-CP-020"),
            NotCheckable("NSA-4.2", "The audit policy records what threat detection needs", "Audit logging and threat detection", "the audit policy file is on the control-plane node, not in the API"),
            NotCheckable("NSA-5.1", "Kubernetes and its components are patched promptly", "Upgrading and application security practices", "component versions are not judged against a patch list by this module"),
        });

    public static ComplianceFramework Pss { get; } = new("PSS", "Kubernetes Pod Security Standards", "latest (Kubernetes 1.25 and later)", "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "Each control is one of the standard's policies; Restricted controls are evaluated only by an audit run with -RestrictedPodSecurity.", new[]
        {
            C("Baseline/HostProcess", "HostProcess", "Baseline", WorkloadRules.HostProcess),
            C("Baseline/HostNamespaces", "Host Namespaces", "Baseline", WorkloadRules.HostNamespaces),
            C("Baseline/Privileged", "Privileged Containers", "Baseline", WorkloadRules.Privileged),
            C("Baseline/Capabilities", "Capabilities", "Baseline", WorkloadRules.BaselineCapabilities),
            C("Baseline/HostPath", "HostPath Volumes", "Baseline", WorkloadRules.HostPath),
            C("Baseline/HostPorts", "Host Ports", "Baseline", WorkloadRules.HostPorts),
            C("Baseline/AppArmor", "AppArmor", "Baseline", WorkloadRules.AppArmor),
            C("Baseline/SELinux", "SELinux", "Baseline", WorkloadRules.SeLinux),
            C("Baseline/ProcMount", "/proc Mount Type", "Baseline", WorkloadRules.ProcMount),
            C("Baseline/Seccomp", "Seccomp", "Baseline", WorkloadRules.SeccompUnconfined),
            C("Baseline/Sysctls", "Sysctls", "Baseline", WorkloadRules.Sysctls),
            C("Restricted/VolumeTypes", "Volume Types", "Restricted", WorkloadRules.VolumeTypes),
            C("Restricted/PrivilegeEscalation", "Privilege Escalation", "Restricted", WorkloadRules.PrivilegeEscalation),
            C("Restricted/RunAsNonRoot", "Running as Non-root", "Restricted", WorkloadRules.RunAsNonRoot),
            C("Restricted/RunAsUser", "Running as Non-root user", "Restricted", WorkloadRules.RunAsRootUser),
            C("Restricted/Seccomp", "Seccomp", "Restricted", WorkloadRules.SeccompRequired),
            C("Restricted/Capabilities", "Capabilities", "Restricted", WorkloadRules.DropAllCapabilities),
        });

    public static ComplianceFramework Mitre { get; } = new("MITRE", "MITRE ATT&CK for Containers", "ATT&CK v15", "https://attack.mitre.org/matrices/enterprise/containers/",
        "Each control is a technique; Failed means the cluster offers it a foothold that a rule found, Passed only that the mapped rules found none (the technique may still work through what they do not see).", new[]
        {
            C("T1190", "Exploit Public-Facing Application", "Initial Access", "KSEC-RBAC-014", "KSEC-NET-005", AttackPathRules.ExposedToClusterAdmin, AttackPathRules.ExposedToNodeRoot),
            C("T1133", "External Remote Services", "Initial Access", "KSEC-CP-002", "KSEC-KUBELET-002", "KSEC-KUBELET-005"),
            C("T1078", "Valid Accounts", "Initial Access", "KSEC-RBAC-001", "KSEC-RBAC-015"),
            C("T1078.001", "Valid Accounts: Default Accounts", "Initial Access", "KSEC-RBAC-013", "KSEC-RBAC-024"),
            C("T1609", "Container Administration Command", "Execution", "KSEC-RBAC-004", "KSEC-KUBELET-003"),
            C("T1610", "Deploy Container", "Execution", "KSEC-RBAC-005"),
            C("T1053.007", "Scheduled Task/Job: Container Orchestration Job", "Persistence", "KSEC-RBAC-005"),
            C("T1098.006", "Account Manipulation: Additional Container Cluster Roles", "Privilege Escalation", "KSEC-RBAC-006", "KSEC-RBAC-007"),
            C("T1611", "Escape to Host", "Privilege Escalation", WorkloadRules.HostProcess, WorkloadRules.HostNamespaces, WorkloadRules.Privileged, WorkloadRules.BaselineCapabilities, WorkloadRules.HostPath),
            C("T1562.001", "Impair Defenses: Disable or Modify Tools", "Defense Evasion", "KSEC-RBAC-011", WorkloadRules.WebhookFailOpen),
            C("T1552.001", "Unsecured Credentials: Credentials In Files", "Credential Access", "KSEC-SEC-011", "KSEC-SEC-012", "KSEC-SEC-009"),
            C("T1552.007", "Unsecured Credentials: Container API", "Credential Access", "KSEC-RBAC-003", "KSEC-SEC-007", "KSEC-SEC-005"),
            C("T1528", "Steal Application Access Token", "Credential Access", "KSEC-SEC-006", "KSEC-RBAC-008"),
            C("T1613", "Container and Resource Discovery", "Discovery", "KSEC-RBAC-014", "KSEC-KUBELET-005"),
            C("T1046", "Network Service Discovery", "Discovery", "KSEC-NET-001"),
            C("T1210", "Exploitation of Remote Services", "Lateral Movement", "KSEC-NET-001", "KSEC-NET-002"),
            C("T1204.003", "User Execution: Malicious Image", "Execution", WorkloadRules.MutableImageTag, WorkloadRules.ImageNotPinned, "KSEC-CP-012"),
            C("T1496", "Resource Hijacking", "Impact", WorkloadRules.NoResourceLimits, WorkloadRules.NoQuotaOrLimitRange),
            C("T1499", "Endpoint Denial of Service", "Impact", WorkloadRules.NoResourceLimits, WorkloadRules.NoQuotaOrLimitRange, "KSEC-KUBELET-012"),
            NotCheckable("T1525", "Implant Internal Image", "Persistence", "registry contents are not visible in the cluster's objects"),
            NotCheckable("T1612", "Build Image on Host", "Defense Evasion", "what runs on the nodes' container runtimes is not visible in the API"),
            NotCheckable("T1036.005", "Masquerading: Match Legitimate Name or Location", "Defense Evasion", "judging names as deceptive needs runtime and image knowledge"),
        });

    /// <summary>Every framework, in the order reports show them.</summary>
    public static IReadOnlyList<ComplianceFramework> All { get; } = new[] { Cis, Nsa, Pss, Mitre };

    /// <summary>The framework -Framework names (CIS, NSA, PSS, MITRE; case-insensitive), or null.</summary>
    public static ComplianceFramework? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The controls a rule helps decide, as "CIS 1.2.6"-style tags (for SARIF and reports).</summary>
    public static IReadOnlyList<string> TagsOf(string ruleId) =>
        TagIndex.Value.TryGetValue(ruleId, out List<string>? tags) ? tags : (IReadOnlyList<string>)Array.Empty<string>();

    private static readonly Lazy<Dictionary<string, List<string>>> TagIndex = new(() =>
    {
        var index = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (ComplianceFramework framework in All)
        {
            foreach (ComplianceControl control in framework.Controls)
            {
                foreach (string rule in control.RuleIds)
                {
                    if (!index.TryGetValue(rule, out List<string>? tags))
                    {
                        index[rule] = tags = new List<string>();
                    }

                    string tag = $"{framework.Name} {control.ControlId}";
                    if (!tags.Contains(tag))
                    {
                        tags.Add(tag);
                    }
                }
            }
        }

        return index;
    });

    private static IEnumerable<ComplianceControl> CisControls()
    {
        string[] fileTitles =
        {
            "API server pod specification file permissions are 600 or stricter", "API server pod specification file is owned by root:root",
            "Controller manager pod specification file permissions are 600 or stricter", "Controller manager pod specification file is owned by root:root",
            "Scheduler pod specification file permissions are 600 or stricter", "Scheduler pod specification file is owned by root:root",
            "etcd pod specification file permissions are 600 or stricter", "etcd pod specification file is owned by root:root",
            "Container Network Interface file permissions are 600 or stricter", "Container Network Interface files are owned by root:root",
            "etcd data directory permissions are 700 or stricter", "etcd data directory is owned by etcd:etcd",
            "Administrative kubeconfig (admin.conf) permissions are 600", "Administrative kubeconfig (admin.conf) is owned by root:root",
            "scheduler.conf permissions are 600 or stricter", "scheduler.conf is owned by root:root",
            "controller-manager.conf permissions are 600 or stricter", "controller-manager.conf is owned by root:root",
            "PKI directory and files are owned by root:root", "PKI certificate file permissions are 600 or stricter", "PKI key file permissions are 600",
        };
        for (int i = 0; i < fileTitles.Length; i++)
        {
            yield return NotCheckable($"1.1.{i + 1}", fileTitles[i], "1.1 Control plane node configuration files", NodeFiles);
        }

        var byControl = ControlPlaneRules.Controls.Concat(KubeletRules.Controls).Where(c => c.Control.Length > 0 && char.IsAsciiDigit(c.Control[0]))
            .ToDictionary(c => c.Control, c => c.RuleId, StringComparer.Ordinal);
        (string Id, string Title)[] flagControls =
        {
            ("1.2.1", "Anonymous requests to the API server are refused"), ("1.2.2", "No static token file (--token-auth-file)"),
            ("1.2.3", "DenyServiceExternalIPs admission plugin is enabled"), ("1.2.4", "API server has a client certificate and key for kubelets"),
            ("1.2.5", "API server verifies kubelet serving certificates"), ("1.2.6", "Authorization mode is not AlwaysAllow"),
            ("1.2.7", "Authorization mode includes Node"), ("1.2.8", "Authorization mode includes RBAC"),
            ("1.2.9", "EventRateLimit admission plugin is enabled"), ("1.2.10", "AlwaysAdmit admission plugin is not enabled"),
            ("1.2.11", "AlwaysPullImages admission plugin is enabled"), ("1.2.12", "ServiceAccount admission plugin is enabled"),
            ("1.2.13", "NamespaceLifecycle admission plugin is enabled"), ("1.2.14", "NodeRestriction admission plugin is enabled"),
            ("1.2.15", "API server profiling is disabled"), ("1.2.16", "API server audit log path is set"),
            ("1.2.17", "Audit logs are kept for 30 days or more"), ("1.2.18", "10 or more audit log files are kept"),
            ("1.2.19", "Audit log files rotate at 100 MB or more"), ("1.2.20", "Request timeout is set as appropriate"),
            ("1.2.21", "Service-account tokens' accounts are looked up"), ("1.2.22", "Service-account public key file is set"),
            ("1.2.23", "API server has a client certificate and key for etcd"), ("1.2.24", "API server has its own TLS certificate and key"),
            ("1.2.25", "API server has a client CA file"), ("1.2.26", "API server verifies etcd's certificate (etcd CA file)"),
            ("1.2.27", "Encryption provider configuration is set"), ("1.2.28", "Encryption providers are appropriately configured"),
            ("1.2.29", "API server offers only strong cipher suites"),
            ("1.3.1", "Terminated-pod garbage collection threshold is set"), ("1.3.2", "Controller manager profiling is disabled"),
            ("1.3.3", "Controllers use individual service-account credentials"), ("1.3.4", "Controller manager has the service-account private key"),
            ("1.3.5", "Controller manager gives pods the root CA"), ("1.3.6", "RotateKubeletServerCertificate is not disabled"),
            ("1.3.7", "Controller manager binds to the loopback address"),
            ("1.4.1", "Scheduler profiling is disabled"), ("1.4.2", "Scheduler binds to the loopback address"),
            ("2.1", "etcd serves clients over TLS (cert and key files)"), ("2.2", "etcd requires client certificates"),
            ("2.3", "etcd does not use self-signed client certificates (--auto-tls)"), ("2.4", "etcd peers use TLS (peer cert and key files)"),
            ("2.5", "etcd peers authenticate with certificates"), ("2.6", "etcd does not use self-signed peer certificates (--peer-auto-tls)"),
            ("2.7", "etcd uses a CA of its own"),
        };
        foreach ((string id, string title) in flagControls)
        {
            string section = id.StartsWith("1.2.", StringComparison.Ordinal) ? "1.2 API server" : id.StartsWith("1.3.", StringComparison.Ordinal) ? "1.3 Controller manager" : id.StartsWith("1.4.", StringComparison.Ordinal) ? "1.4 Scheduler" : "2 etcd";
            yield return id switch
            {
                "1.2.20" => NotCheckable(id, title, section, Judgement + " (the default is 60s)"),
                "1.2.27" => C(id, title, section, EncryptionRules.SecretsNotEncrypted),
                "1.2.28" => C(id, title, section, EncryptionRules.IdentityFirst, EncryptionRules.WeakProvider),
                _ => C(id, title, section, byControl[id]),
            };
        }

        yield return C("3.1.1", "Client certificate authentication is not used for users", "3.1 Authentication and authorization", CertificateRules.KubeconfigClientCertificate)
            with { Note = "decided for the kubeconfig users Test-KubeCertificate reads; other users' credentials are not visible" };
        yield return NotCheckable("3.1.2", "Service account token authentication is not used for users", "3.1 Authentication and authorization", "which identities are people is not recorded in the cluster's objects");
        yield return NotCheckable("3.1.3", "Bootstrap token authentication is not used for users", "3.1 Authentication and authorization", "which identities are people is not recorded in the cluster's objects");
        yield return C("3.2.1", "A minimal audit policy is created", "3.2 Logging", "KSEC-CP-045")
            with { Note = "decided by --audit-policy-file being set; what the policy records is 3.2.2's question" };
        yield return NotCheckable("3.2.2", "The audit policy covers key security concerns", "3.2 Logging", "the audit policy file is on the control-plane node, not in the API");

        string[] nodeFileTitles =
        {
            "kubelet service file permissions are 600 or stricter", "kubelet service file is owned by root:root",
            "kube-proxy kubeconfig permissions are 600 or stricter", "kube-proxy kubeconfig is owned by root:root",
            "kubelet.conf permissions are 600 or stricter", "kubelet.conf is owned by root:root",
            "Certificate authorities file permissions are 600 or stricter", "Client certificate authorities file is owned by root:root",
            "kubelet config.yaml permissions are 600 or stricter", "kubelet config.yaml is owned by root:root",
        };
        for (int i = 0; i < nodeFileTitles.Length; i++)
        {
            yield return NotCheckable($"4.1.{i + 1}", nodeFileTitles[i], "4.1 Worker node configuration files", NodeFiles);
        }

        (string Id, string Title)[] kubeletControls =
        {
            ("4.2.1", "Kubelet refuses anonymous requests"), ("4.2.2", "Kubelet authorization mode is not AlwaysAllow"),
            ("4.2.3", "Kubelet has a client CA file"), ("4.2.4", "Kubelet read-only port is 0"),
            ("4.2.5", "Kubelet streaming connection idle timeout is not 0"), ("4.2.6", "Kubelet manages its iptables utility chains"),
            ("4.2.7", "Kubelet --hostname-override is not set"), ("4.2.8", "Kubelet event record QPS captures events appropriately"),
            ("4.2.9", "Kubelet has its own TLS certificate and key"), ("4.2.10", "Kubelet client certificates rotate"),
            ("4.2.11", "Kubelet serving certificates rotate"), ("4.2.12", "Kubelet offers only strong cipher suites"),
            ("4.2.13", "A limit is set on pod PIDs"),
        };
        foreach ((string id, string title) in kubeletControls)
        {
            yield return id switch
            {
                "4.2.7" => NotCheckable(id, title, "4.2 Kubelet", "a kubelet command-line flag: the live configuration (configz) and configuration files do not show it"),
                "4.2.8" => NotCheckable(id, title, "4.2 Kubelet", Judgement),
                _ => C(id, title, "4.2 Kubelet", byControl[id]),
            };
        }

        yield return NotCheckable("4.3.1", "kube-proxy metrics service is bound to localhost", "4.3 kube-proxy", "kube-proxy's configuration is not yet evaluated by a rule");

        const string Rbac = "5.1 RBAC and service accounts";
        yield return C("5.1.1", "cluster-admin is used only where required", Rbac, "KSEC-RBAC-001", "KSEC-RBAC-024", "KSEC-CSR-001");
        yield return C("5.1.2", "Access to secrets is minimized", Rbac, "KSEC-RBAC-003", "KSEC-SEC-007");
        yield return C("5.1.3", "Wildcards in Roles and ClusterRoles are minimized", Rbac, "KSEC-RBAC-002");
        yield return C("5.1.4", "Access to create pods is minimized", Rbac, "KSEC-RBAC-005");
        yield return C("5.1.5", "Default service accounts are not actively used", Rbac, "KSEC-RBAC-013");
        yield return C("5.1.6", "Service account tokens are mounted only where necessary", Rbac, "KSEC-SEC-006");
        yield return C("5.1.7", "The system:masters group is not used", Rbac, "KSEC-RBAC-019", "KSEC-CSR-001")
            with { Note = "decided for aws-auth mappings and certificate requests; client certificates issued outside the cluster are not visible" };
        yield return C("5.1.8", "Bind, impersonate and escalate are limited", Rbac, "KSEC-RBAC-006", "KSEC-RBAC-007");
        yield return C("5.1.9", "Access to create persistent volumes is minimized", Rbac, "KSEC-RBAC-012");
        yield return C("5.1.10", "Access to the nodes/proxy subresource is minimized", Rbac, "KSEC-RBAC-009");
        yield return C("5.1.11", "Access to approve certificate signing requests is minimized", Rbac, "KSEC-RBAC-010");
        yield return C("5.1.12", "Access to webhook configurations is minimized", Rbac, "KSEC-RBAC-011");
        yield return C("5.1.13", "Access to create service account tokens is minimized", Rbac, "KSEC-RBAC-008");

        const string Pods = "5.2 Pod Security Standards";
        yield return C("5.2.1", "At least one policy control mechanism is active", Pods, WorkloadRules.PsaEnforceMissing)
            with { Note = "Pod Security Admission labels only: a namespace governed by an external policy engine (Kyverno, Gatekeeper) still counts as failing" };
        yield return C("5.2.2", "Privileged containers are not admitted", Pods, WorkloadRules.Privileged);
        yield return C("5.2.3", "Containers sharing the host PID namespace are not admitted", Pods, WorkloadRules.HostNamespaces) with { Match = "hostPID" };
        yield return C("5.2.4", "Containers sharing the host IPC namespace are not admitted", Pods, WorkloadRules.HostNamespaces) with { Match = "hostIPC" };
        yield return C("5.2.5", "Containers sharing the host network namespace are not admitted", Pods, WorkloadRules.HostNamespaces) with { Match = "hostNetwork" };
        yield return C("5.2.6", "Containers allowing privilege escalation are not admitted", Pods, WorkloadRules.PrivilegeEscalation);
        yield return C("5.2.7", "Root containers are not admitted", Pods, WorkloadRules.RunAsNonRoot, WorkloadRules.RunAsRootUser);
        yield return C("5.2.8", "Containers with the NET_RAW capability are not admitted", Pods, WorkloadRules.DropAllCapabilities)
            with { Note = "a container that does not drop ALL keeps NET_RAW from the runtime's default set, so the Restricted drop-all rule decides it" };
        yield return C("5.2.9", "Containers with added capabilities are not admitted", Pods, WorkloadRules.BaselineCapabilities)
            with { Note = "capabilities added within the Pod Security Baseline set are not counted" };
        yield return C("5.2.10", "Containers with capabilities assigned are minimized", Pods, WorkloadRules.DropAllCapabilities);
        yield return C("5.2.11", "Windows HostProcess containers are not admitted", Pods, WorkloadRules.HostProcess);
        yield return C("5.2.12", "HostPath volumes are not admitted", Pods, WorkloadRules.HostPath);
        yield return C("5.2.13", "Containers using host ports are not admitted", Pods, WorkloadRules.HostPorts);

        yield return NotCheckable("5.3.1", "The CNI in use supports NetworkPolicies", "5.3 Network policies and CNI", "whether the network plugin enforces NetworkPolicy is not recorded in the API");
        yield return C("5.3.2", "All namespaces have NetworkPolicies defined", "5.3 Network policies and CNI", "KSEC-NET-001", "KSEC-NET-012");
        yield return C("5.4.1", "Secrets are used as files rather than environment variables", "5.4 Secrets management", "KSEC-SEC-001");
        yield return NotCheckable("5.4.2", "External secret storage is considered", "5.4 Secrets management", Organisational);
        yield return NotCheckable("5.5.1", "Image provenance is configured with the ImagePolicyWebhook admission controller", "5.5 Extensible admission control", "the ImagePolicyWebhook plugin and its configuration are not yet evaluated by a rule");
        yield return NotCheckable("5.7.1", "Namespaces draw administrative boundaries between resources", "5.7 General policies", Organisational);
        yield return C("5.7.2", "Pods set a seccomp profile (RuntimeDefault)", "5.7 General policies", WorkloadRules.SeccompUnconfined, WorkloadRules.SeccompRequired);
        yield return NotCheckable("5.7.3", "SecurityContext is applied to pods and containers", "5.7 General policies", "the benchmark names no required fields; the Pod Security Standards view decides the fields one by one");
        yield return C("5.7.4", "The default namespace is not used", "5.7 General policies", WorkloadRules.DefaultNamespace)
            with { Note = "workloads only: Services, ConfigMaps and other objects in default are not counted" };
    }
}
