namespace KubeSecurity.Model;

/// <summary>
/// Whether a namespace or workload is isolated by NetworkPolicy, and by which policies. Rows with
/// Kind Namespace summarise a namespace; the others are workloads (or bare pods).
/// </summary>
public sealed record NetworkCoverage(
    string Kind,
    string Namespace,
    string Name,
    int Pods,
    bool IngressIsolated,
    bool EgressIsolated,
    IReadOnlyList<string> IngressPolicies,
    IReadOnlyList<string> EgressPolicies,
    bool HostNetwork,
    string? Note = null)
{
    public override string ToString() => $"{Kind}/{Namespace}/{Name}: ingress {(IngressIsolated ? "isolated" : "open")}, egress {(EgressIsolated ? "isolated" : "open")}";
}
