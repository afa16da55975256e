using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>One control of a benchmark as the catalog states it: where it is, what it concerns, what it means.</summary>
public sealed record ControlPlaneControl(string RuleId, string Control, bool Automated, string Component, string Title, Severity Severity, string Description, string Remediation);

/// <summary>
/// Control-plane hardening: the CIS Kubernetes Benchmark's controls decidable from the components'
/// flags (kube-apiserver, kube-controller-manager, kube-scheduler, etcd). How each is decided lives
/// with the analysis (ControlPlane/ControlPlaneChecks); the catalog holds what it is.
/// </summary>
public static class ControlPlaneRules
{
    public const string Category = "ControlPlane";
    public const string Benchmark = "CIS Kubernetes Benchmark v1.9.0";
    public const string NotVisible = "KSEC-CP-001";

    public static IReadOnlyList<ControlPlaneControl> Controls { get; } = new ControlPlaneControl[]
    {
        new("KSEC-CP-002", "1.2.1", false, "kube-apiserver", "API server allows anonymous requests", Severity.Medium,
            "--anonymous-auth is not false (it defaults to true): requests without credentials are served as system:anonymous, and whatever RBAC grants system:unauthenticated is open to anyone who reaches the API server.",
            "Set --anonymous-auth=false on kube-apiserver (health checks can use /livez and /readyz through an authenticated probe or the legacy insecure health port)."),
        new("KSEC-CP-003", "1.2.2", true, "kube-apiserver", "API server accepts a static token file", Severity.High,
            "--token-auth-file is set: bearer tokens in a plain file on the control-plane node authenticate users forever, cannot be rotated without a restart and are not revocable.",
            "Remove --token-auth-file and authenticate users with certificates, OIDC or a webhook."),
        new("KSEC-CP-004", "1.2.3", false, "kube-apiserver", "DenyServiceExternalIPs admission plugin is not enabled", Severity.Low,
            "Without DenyServiceExternalIPs any user who can create Services can set spec.externalIPs and intercept traffic to those addresses (CVE-2020-8554).",
            "Add DenyServiceExternalIPs to --enable-admission-plugins."),
        new("KSEC-CP-005", "1.2.4", true, "kube-apiserver", "API server has no client certificate for kubelets", Severity.Medium,
            "--kubelet-client-certificate and --kubelet-client-key are not both set: the API server cannot authenticate to kubelets, which then must allow anonymous or unauthenticated access for exec, logs and port-forward.",
            "Set --kubelet-client-certificate and --kubelet-client-key to a client certificate the kubelets authorize."),
        new("KSEC-CP-006", "1.2.5", true, "kube-apiserver", "API server does not verify kubelet serving certificates", Severity.Medium,
            "--kubelet-certificate-authority is not set: the API server connects to kubelets without verifying their serving certificates, so a machine in the middle can read exec sessions and logs.",
            "Set --kubelet-certificate-authority to the CA that signs kubelet serving certificates (and enable serving-certificate rotation with an approver)."),
        new("KSEC-CP-007", "1.2.6", true, "kube-apiserver", "API server authorizes every request (AlwaysAllow)", Severity.Critical,
            "--authorization-mode includes AlwaysAllow, or is absent (its default is AlwaysAllow): every authenticated request is allowed, and RBAC is not consulted.",
            "Set --authorization-mode=Node,RBAC."),
        new("KSEC-CP-008", "1.2.7", true, "kube-apiserver", "API server does not use the Node authorizer", Severity.Medium,
            "--authorization-mode does not include Node: kubelets are authorized by RBAC alone, which cannot restrict a node to the objects of its own pods, so one compromised node reads every secret its role allows.",
            "Include Node in --authorization-mode (Node,RBAC) and enable the NodeRestriction admission plugin."),
        new("KSEC-CP-009", "1.2.8", true, "kube-apiserver", "API server does not use RBAC", Severity.High,
            "--authorization-mode does not include RBAC: Roles and bindings have no effect, and what is allowed depends on other authorizers only.",
            "Include RBAC in --authorization-mode (Node,RBAC)."),
        new("KSEC-CP-010", "1.2.9", false, "kube-apiserver", "EventRateLimit admission plugin is not enabled", Severity.Low,
            "Without EventRateLimit, a client can flood the API server and etcd with events.",
            "Add EventRateLimit to --enable-admission-plugins with an --admission-control-config-file that sets the limits."),
        new("KSEC-CP-011", "1.2.10", true, "kube-apiserver", "AlwaysAdmit admission plugin is enabled", Severity.High,
            "AlwaysAdmit is in --enable-admission-plugins: it admits every request, bypassing what the other admission plugins would refuse.",
            "Remove AlwaysAdmit from --enable-admission-plugins."),
        new("KSEC-CP-012", "1.2.11", false, "kube-apiserver", "AlwaysPullImages admission plugin is not enabled", Severity.Low,
            "Without AlwaysPullImages, a pod can run a private image already pulled on its node by another tenant, without the pull credentials.",
            "Add AlwaysPullImages to --enable-admission-plugins in multi-tenant clusters."),
        new("KSEC-CP-013", "1.2.12", true, "kube-apiserver", "ServiceAccount admission plugin is disabled", Severity.Medium,
            "ServiceAccount is in --disable-admission-plugins: pods are not given service accounts and token mounts are not managed, so they run outside the identities RBAC expects.",
            "Remove ServiceAccount from --disable-admission-plugins (it is on by default)."),
        new("KSEC-CP-014", "1.2.13", true, "kube-apiserver", "NamespaceLifecycle admission plugin is disabled", Severity.Medium,
            "NamespaceLifecycle is in --disable-admission-plugins: objects can be created in namespaces being deleted or that do not exist, and system namespaces can be deleted.",
            "Remove NamespaceLifecycle from --disable-admission-plugins (it is on by default)."),
        new("KSEC-CP-015", "1.2.14", true, "kube-apiserver", "NodeRestriction admission plugin is not enabled", Severity.Medium,
            "NodeRestriction is not in --enable-admission-plugins (it is off by default): a kubelet's credentials can modify other nodes and pods not bound to it, and set labels that steer workloads to it.",
            "Add NodeRestriction to --enable-admission-plugins (with the Node authorizer)."),
        new("KSEC-CP-016", "1.2.15", true, "kube-apiserver", "API server profiling is enabled", Severity.Low,
            "--profiling is not false (it defaults to true): /debug/pprof exposes performance data and can be used to load the API server.",
            "Set --profiling=false."),
        new("KSEC-CP-017", "1.2.16", true, "kube-apiserver", "API server audit logging is not configured", Severity.Medium,
            "--audit-log-path is not set: the API server keeps no audit log, so who did what (read a secret, created a binding) cannot be traced.",
            "Set --audit-log-path and an --audit-policy-file (Test-KubeAuditEvent reads the log)."),
        new("KSEC-CP-018", "1.2.17", true, "kube-apiserver", "API server audit logs are kept for less than 30 days", Severity.Low,
            "--audit-log-maxage is set below 30: rotated audit logs are deleted after fewer days, so investigations after an incident find them gone. (0, the default, removes nothing by age.)",
            "Set --audit-log-maxage=30 or more."),
        new("KSEC-CP-019", "1.2.18", true, "kube-apiserver", "API server keeps fewer than 10 audit log files", Severity.Low,
            "--audit-log-maxbackup is set below 10: fewer rotated audit files are kept, so the history an investigation needs is lost. (0, the default, keeps every file.)",
            "Set --audit-log-maxbackup=10 or more."),
        new("KSEC-CP-020", "1.2.19", true, "kube-apiserver", "API server audit log files are rotated below 100 MB", Severity.Low,
            "--audit-log-maxsize is set below 100 (MB): files rotate so often that the kept backups cover little time. (0, the default, rotates at 100 MB.)",
            "Set --audit-log-maxsize=100 or more."),
        new("KSEC-CP-021", "1.2.21", true, "kube-apiserver", "API server does not check that service-account tokens' accounts exist", Severity.Medium,
            "--service-account-lookup=false: a token keeps working after its ServiceAccount is deleted, until it expires.",
            "Remove --service-account-lookup or set it to true (the default)."),
        new("KSEC-CP-022", "1.2.22", true, "kube-apiserver", "API server has no service-account key file", Severity.Medium,
            "--service-account-key-file is not set: service-account tokens are verified with the serving key, so they cannot be rotated apart from it.",
            "Set --service-account-key-file to the public key(s) that verify service-account tokens."),
        new("KSEC-CP-023", "1.2.23", true, "kube-apiserver", "API server has no client certificate for etcd", Severity.High,
            "--etcd-certfile and --etcd-keyfile are not both set: the API server talks to etcd without a client certificate, so etcd must accept unauthenticated clients.",
            "Set --etcd-certfile and --etcd-keyfile, and require client certificates on etcd."),
        new("KSEC-CP-024", "1.2.24", true, "kube-apiserver", "API server has no serving certificate of its own", Severity.Medium,
            "--tls-cert-file and --tls-private-key-file are not both set: the API server serves a self-signed certificate it generates, which clients cannot verify.",
            "Set --tls-cert-file and --tls-private-key-file to a certificate signed by the cluster CA."),
        new("KSEC-CP-025", "1.2.25", true, "kube-apiserver", "API server does not accept client certificates", Severity.Medium,
            "--client-ca-file is not set: client certificates are not verified, so kubelets and administrators cannot authenticate with them.",
            "Set --client-ca-file to the cluster CA."),
        new("KSEC-CP-026", "1.2.26", true, "kube-apiserver", "API server does not verify etcd's certificate", Severity.High,
            "--etcd-cafile is not set: the API server does not verify the etcd server it stores everything in.",
            "Set --etcd-cafile to the CA of etcd's serving certificates."),
        new("KSEC-CP-027", "1.2.29", false, "kube-apiserver", "API server offers weak TLS cipher suites", Severity.Medium,
            "--tls-cipher-suites lists RC4, 3DES, NULL or EXPORT suites, which let an attacker who can record traffic recover it.",
            "Remove the weak suites from --tls-cipher-suites (or remove the flag: the defaults exclude them)."),
        new("KSEC-CP-028", "NSA-CISA", false, "kube-apiserver", "API server accepts TLS below 1.2", Severity.Medium,
            "--tls-min-version allows TLS 1.0 or 1.1, whose weaknesses let connections be downgraded.",
            "Set --tls-min-version=VersionTLS12 or VersionTLS13, or remove it (the default is TLS 1.2)."),
        new("KSEC-CP-029", "1.3.1", false, "kube-controller-manager", "Controller manager keeps terminated pods up to its default threshold", Severity.Info,
            "--terminated-pod-gc-threshold is not set (default 12500): terminated pods, with their logs references and secrets mounts, accumulate until then and load etcd.",
            "Set --terminated-pod-gc-threshold to a value suited to the cluster (for example 10 per node)."),
        new("KSEC-CP-030", "1.3.2", true, "kube-controller-manager", "Controller manager profiling is enabled", Severity.Low,
            "--profiling is not false (it defaults to true) on kube-controller-manager.",
            "Set --profiling=false."),
        new("KSEC-CP-031", "1.3.3", true, "kube-controller-manager", "Controllers share the controller manager's own credentials", Severity.Medium,
            "--use-service-account-credentials is not true (default false): every controller acts with the controller manager's broad identity instead of its own service account, so RBAC cannot narrow any of them.",
            "Set --use-service-account-credentials=true."),
        new("KSEC-CP-032", "1.3.4", true, "kube-controller-manager", "Controller manager has no service-account signing key", Severity.Medium,
            "--service-account-private-key-file is not set: service-account tokens are not signed by a key the API server is told to trust, and cannot be rotated.",
            "Set --service-account-private-key-file to the key whose public half is in the API server's --service-account-key-file."),
        new("KSEC-CP-033", "1.3.5", true, "kube-controller-manager", "Controller manager does not give pods the cluster CA", Severity.Low,
            "--root-ca-file is not set: service-account token volumes carry no CA, so pods cannot verify the API server they talk to.",
            "Set --root-ca-file to the cluster CA."),
        new("KSEC-CP-034", "1.3.6", true, "kube-controller-manager", "Kubelet serving certificates are not rotated", Severity.Medium,
            "--feature-gates sets RotateKubeletServerCertificate=false: kubelet serving certificates are not renewed through the API and expire or stay self-signed.",
            "Remove RotateKubeletServerCertificate=false from --feature-gates (the gate is on by default)."),
        new("KSEC-CP-035", "1.3.7", true, "kube-controller-manager", "Controller manager listens on every interface", Severity.Medium,
            "--bind-address is not 127.0.0.1 (it defaults to 0.0.0.0): its metrics and health endpoints are reachable from the network.",
            "Set --bind-address=127.0.0.1."),
        new("KSEC-CP-036", "1.4.1", true, "kube-scheduler", "Scheduler profiling is enabled", Severity.Low,
            "--profiling is not false (it defaults to true) on kube-scheduler.",
            "Set --profiling=false."),
        new("KSEC-CP-037", "1.4.2", true, "kube-scheduler", "Scheduler listens on every interface", Severity.Medium,
            "--bind-address is not 127.0.0.1 (it defaults to 0.0.0.0): its metrics and health endpoints are reachable from the network.",
            "Set --bind-address=127.0.0.1."),
        new("KSEC-CP-038", "2.1", true, "etcd", "etcd serves clients without TLS", Severity.High,
            "--cert-file and --key-file are not both set on etcd: clients, the API server included, talk to it in clear text.",
            "Set --cert-file and --key-file on etcd."),
        new("KSEC-CP-039", "2.2", true, "etcd", "etcd does not require client certificates", Severity.Critical,
            "--client-cert-auth is not true (default false): anyone who reaches etcd's client port reads and writes every object of the cluster, secrets included.",
            "Set --client-cert-auth=true and --trusted-ca-file."),
        new("KSEC-CP-040", "2.3", true, "etcd", "etcd uses self-signed client TLS", Severity.Medium,
            "--auto-tls=true: etcd generates its own certificate for clients, which they cannot verify.",
            "Remove --auto-tls or set it to false, and configure --cert-file and --key-file."),
        new("KSEC-CP-041", "2.4", true, "etcd", "etcd peers talk without TLS", Severity.High,
            "--peer-cert-file and --peer-key-file are not both set: etcd members replicate the cluster's data in clear text.",
            "Set --peer-cert-file and --peer-key-file on every member."),
        new("KSEC-CP-042", "2.5", true, "etcd", "etcd does not authenticate its peers", Severity.High,
            "--peer-client-cert-auth is not true (default false): anything that reaches the peer port can join the replication.",
            "Set --peer-client-cert-auth=true and --peer-trusted-ca-file."),
        new("KSEC-CP-043", "2.6", true, "etcd", "etcd uses self-signed peer TLS", Severity.Medium,
            "--peer-auto-tls=true: members generate their own peer certificates, which nobody verifies.",
            "Remove --peer-auto-tls or set it to false."),
        new("KSEC-CP-044", "2.7", false, "etcd", "etcd trusts the cluster CA for its clients", Severity.Medium,
            "etcd's --trusted-ca-file is not set, or is the API server's --client-ca-file: every certificate the cluster CA issues (every kubelet, every administrator) is then accepted by etcd, which holds all the cluster's secrets.",
            "Give etcd a CA of its own and set --trusted-ca-file to it; issue the API server's etcd client certificate from it."),
        new("KSEC-CP-045", "3.2.1", false, "kube-apiserver", "API server has no audit policy", Severity.Medium,
            "--audit-policy-file is not set: without a policy the API server records no audit events at all, even with --audit-log-path, so nobody can tell afterwards who read a secret or changed a binding.",
            "Write an audit policy (Metadata level for secrets, configmaps and token reviews; RequestResponse for changes to RBAC and workloads; pods/exec, attach and portforward recorded) and set --audit-policy-file to it, with --audit-log-path."),
    };

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
        {
            new SecurityRule(NotVisible, "Control plane not visible: its hardening is not checkable from here", Severity.Info, Category,
                "No kube-apiserver, kube-controller-manager, kube-scheduler or etcd pod is in the input: a managed control plane (EKS, GKE, AKS ...), components run outside Kubernetes, or kube-system was not collected. Their flags cannot be read, so the control-plane controls are not checkable, not passed.",
                "For a managed control plane, check the provider's settings (audit logging, endpoint access, encryption) with its tools; otherwise include kube-system pods or the static pod manifests (/etc/kubernetes/manifests) in the input.",
                new[] { $"{Benchmark} sections 1 and 2" }),
        }
        .Concat(Controls.Select(control => new SecurityRule(control.RuleId, control.Title, control.Severity, Category, control.Description, control.Remediation,
            control.Control == "NSA-CISA"
                ? new[] { "NSA/CISA Kubernetes Hardening Guide: TLS", "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/" }
                : new[] { $"{Benchmark} {control.Control} ({(control.Automated ? "Automated" : "Manual")})", ReferenceOf(control.Component) })))
        .ToList();

    private static string ReferenceOf(string component) => component == "etcd"
        ? "https://etcd.io/docs/latest/op-guide/security/"
        : $"https://kubernetes.io/docs/reference/command-line-tools-reference/{component}/";
}
