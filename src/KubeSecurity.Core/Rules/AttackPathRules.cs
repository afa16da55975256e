using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>Attack paths that reach a target, one rule per class of path (entry and target).</summary>
public static class AttackPathRules
{
    public const string Category = "AttackPaths";
    public const string ExposedToClusterAdmin = "KSEC-PATH-001";
    public const string ExposedToNodeRoot = "KSEC-PATH-002";
    public const string EscapeToClusterAdmin = "KSEC-PATH-003";

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        new SecurityRule(ExposedToClusterAdmin, "Internet-exposed workload leads to cluster-admin", Severity.Critical, Category,
            "A workload reachable from outside the cluster (LoadBalancer or NodePort Service, Ingress, host port) is the first step of a chain of moves that ends as cluster-admin: compromising the exposed application is enough to take the cluster.",
            "Cut the chain at its cheapest step: Get-KubeAttackPath -ChokePoints ranks the single changes by how many paths they cut (a binding, a capability, a token mount, a NetworkPolicy).",
            new[] { "MITRE ATT&CK T1190", "MITRE ATT&CK T1611", "MITRE ATT&CK T1078", "https://microsoft.github.io/Threat-Matrix-for-Kubernetes/" }),
        new SecurityRule(ExposedToNodeRoot, "Internet-exposed workload leads to root on a node", Severity.High, Category,
            "A workload reachable from outside the cluster, or one it can reach over the pod network, can escape its container to the node: privileged, a runtime socket, a writable hostPath of a system directory, SYS_ADMIN, SYS_MODULE, or hostPID with SYS_PTRACE.",
            "Remove the escape primitive from the workload (Get-KubeAttackPath -To node -ChokePoints names it), or stop exposing it.",
            new[] { "MITRE ATT&CK T1190", "MITRE ATT&CK T1611" }),
        new SecurityRule(EscapeToClusterAdmin, "Container escape leads to cluster-admin through another pod's token", Severity.High, Category,
            "Code running in this workload can escape to its node, where the kubelet mounts the token of another pod's service account that is, or becomes, cluster-admin. The workload's own account is not the problem; its neighbours' are.",
            "Remove the escape primitive, or keep powerful workloads off the nodes that run it (taints, affinity), or stop mounting the powerful token.",
            new[] { "MITRE ATT&CK T1611", "MITRE ATT&CK T1528" }),
    };
}
