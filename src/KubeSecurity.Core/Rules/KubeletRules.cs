using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>
/// Kubelet hardening: the CIS Kubernetes Benchmark's kubelet controls (section 4.2) decidable from a
/// KubeletConfiguration, and the NSA/CISA guide's seccomp default. How each is decided lives with
/// the analysis (ControlPlane/KubeletChecks).
/// </summary>
public static class KubeletRules
{
    public const string Category = "Kubelet";
    public const string NotVisible = "KSEC-KUBELET-001";
    private const string Reference = "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/";

    public static IReadOnlyList<ControlPlaneControl> Controls { get; } = new ControlPlaneControl[]
    {
        new("KSEC-KUBELET-002", "4.2.1", true, "kubelet", "Kubelet serves anonymous requests", Severity.High,
            "authentication.anonymous.enabled is true: anyone who reaches the kubelet's port (10250) is served as system:anonymous, which with a permissive authorization mode means exec into every pod of the node.",
            "Set authentication.anonymous.enabled: false in the KubeletConfiguration (the default of the configuration file; the --anonymous-auth flag defaults to true)."),
        new("KSEC-KUBELET-003", "4.2.2", true, "kubelet", "Kubelet authorizes every request (AlwaysAllow)", Severity.Critical,
            "authorization.mode is AlwaysAllow: every request that reaches the kubelet's API is allowed, including exec, attach and port-forward into its pods.",
            "Set authorization.mode: Webhook (the configuration file's default), so the kubelet asks the API server (SubjectAccessReview)."),
        new("KSEC-KUBELET-004", "4.2.3", true, "kubelet", "Kubelet does not verify client certificates", Severity.Medium,
            "authentication.x509.clientCAFile is not set: the kubelet cannot authenticate the API server's client certificate, so its API is either open or unusable for exec and logs.",
            "Set authentication.x509.clientCAFile to the cluster CA."),
        new("KSEC-KUBELET-005", "4.2.4", false, "kubelet", "Kubelet read-only port is open", Severity.Medium,
            "readOnlyPort is not 0: port 10255 serves pod specs, environment and metrics to anyone on the network, without authentication.",
            "Set readOnlyPort: 0 (the configuration file's default; the --read-only-port flag defaults to 10255)."),
        new("KSEC-KUBELET-006", "4.2.5", false, "kubelet", "Kubelet streaming connections never time out", Severity.Low,
            "streamingConnectionIdleTimeout is 0: exec, attach and port-forward sessions stay open forever when idle, so a forgotten session remains a way in.",
            "Set streamingConnectionIdleTimeout to a duration such as 5m (the default is 4h)."),
        new("KSEC-KUBELET-007", "4.2.6", true, "kubelet", "Kubelet does not manage its iptables chains", Severity.Low,
            "makeIPTablesUtilChains is false: the kubelet does not keep the iptables utility chains it relies on, and network rules can drift out of step with pods.",
            "Set makeIPTablesUtilChains: true or remove it (the default is true)."),
        new("KSEC-KUBELET-008", "4.2.9", false, "kubelet", "Kubelet serves a self-signed certificate", Severity.Medium,
            "Neither tlsCertFile and tlsPrivateKeyFile nor serverTLSBootstrap is set: the kubelet generates a self-signed serving certificate, which the API server cannot verify, so exec and log traffic can be intercepted.",
            "Set serverTLSBootstrap: true (with an approver for kubelet serving CSRs), or tlsCertFile and tlsPrivateKeyFile."),
        new("KSEC-KUBELET-009", "4.2.10", true, "kubelet", "Kubelet client certificates are not rotated", Severity.Medium,
            "rotateCertificates is false (the configuration file's default): the kubelet's client certificate is not renewed, so the node drops out of the cluster when it expires, or an old certificate is kept alive by hand.",
            "Set rotateCertificates: true."),
        new("KSEC-KUBELET-010", "4.2.11", false, "kubelet", "Kubelet serving-certificate rotation is switched off", Severity.Medium,
            "featureGates sets RotateKubeletServerCertificate to false: kubelet serving certificates are not renewed through the API.",
            "Remove RotateKubeletServerCertificate: false from featureGates (the gate is on by default)."),
        new("KSEC-KUBELET-011", "4.2.12", false, "kubelet", "Kubelet offers weak TLS cipher suites", Severity.Medium,
            "tlsCipherSuites lists RC4, 3DES, NULL or EXPORT suites.",
            "Remove the weak suites from tlsCipherSuites (or remove the field: the defaults exclude them)."),
        new("KSEC-KUBELET-012", "4.2.13", false, "kubelet", "Kubelet sets no limit on process ids per pod", Severity.Low,
            "podPidsLimit is not set (default -1, unlimited): one pod can fork until the node runs out of process ids, taking every other pod of the node down.",
            "Set podPidsLimit to a value suited to the workloads (for example 4096)."),
        new("KSEC-KUBELET-013", "NSA-CISA", false, "kubelet", "Kubelet does not apply the RuntimeDefault seccomp profile by default", Severity.Low,
            "seccompDefault is false (the default): containers without a seccomp profile run unconfined, with every system call available.",
            "Set seccompDefault: true, so RuntimeDefault applies wherever a pod does not choose a profile."),
        new("KSEC-KUBELET-014", "kubelet", false, "kubelet", "Kubelet does not protect kernel defaults", Severity.Low,
            "protectKernelDefaults is false (the default): the kubelet changes kernel parameters to the values it needs instead of refusing to start when they differ, hiding node configuration drift.",
            "Set protectKernelDefaults: true and set the kernel parameters the kubelet expects on the node."),
    };

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
        {
            new SecurityRule(NotVisible, "Kubelet configuration not visible: its hardening is not checkable from here", Severity.Info, Category,
                "The input holds no kubelet configuration: no KubeletConfiguration file (Test-KubeKubelet -ConfigurationPath) and no kubeadm kubelet-config ConfigMap in kube-system. The kubelet controls are not checkable, which is not the same as passing them.",
                "Give Test-KubeKubelet the KubeletConfiguration files of the nodes (/var/lib/kubelet/config.yaml), or include kube-system's kubelet-config ConfigMap in the input.",
                new[] { $"{ControlPlaneRules.Benchmark} section 4.2" }),
        }
        .Concat(Controls.Select(control => new SecurityRule(control.RuleId, control.Title, control.Severity, Category, control.Description, control.Remediation,
            control.Control switch
            {
                "NSA-CISA" => new[] { "NSA/CISA Kubernetes Hardening Guide: seccomp", Reference },
                "kubelet" => new[] { Reference },
                _ => new[] { $"{ControlPlaneRules.Benchmark} {control.Control} ({(control.Automated ? "Automated" : "Manual")})", Reference },
            })))
        .ToList();
}
