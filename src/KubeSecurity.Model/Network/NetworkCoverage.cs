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
    /// <summary>Exact, Partial (some policy object that could select these pods was not evaluated) or OutOfScope (host network).</summary>
    public NetworkCompleteness Completeness { get; init; } = NetworkCompleteness.Exact;

    /// <summary>Why the row is not Exact.</summary>
    public IReadOnlyList<string> CompletenessNotes { get; init; } = Array.Empty<string>();

    /// <summary>Cluster-wide admin policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy) that select these pods.</summary>
    public IReadOnlyList<string> AdminPolicies { get; init; } = Array.Empty<string>();

    public override string ToString() => $"{Kind}/{Namespace}/{Name}: ingress {(IngressIsolated ? "isolated" : "open")}, egress {(EgressIsolated ? "isolated" : "open")}";
}
