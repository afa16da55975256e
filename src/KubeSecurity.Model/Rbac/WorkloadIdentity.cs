namespace KubeSecurity.Model;

/// <summary>How much a service account's permissions are worth to whoever holds its token.</summary>
public enum IdentityRisk
{
    /// <summary>Nothing beyond what every authenticated identity may do.</summary>
    None,
    Low,
    Medium,
    High,
    /// <summary>Cluster-admin, or a chain of moves that reaches it.</summary>
    Critical,
}

/// <summary>
/// The identity a workload runs with: its service account, whether the pods get its token, what
/// the account may do summarised into a risk level, whether it can become cluster-admin and how,
/// and the pods and nodes where compromising a container yields it.
/// </summary>
public sealed record WorkloadIdentity(
    ResourceRef Workload,
    RbacSubject ServiceAccount,
    bool? ServiceAccountExists,
    bool TokenMounted,
    string TokenMount,
    IdentityRisk PermissionRisk,
    IReadOnlyList<string> Capabilities,
    string? EscalationChain,
    IReadOnlyList<string> Pods,
    IReadOnlyList<string> Nodes)
{
    public string Kind => Workload.Kind;
    public string? Namespace => Workload.Namespace;
    public string Name => Workload.Name;

    /// <summary>What compromising one of its containers yields: the permission risk when the token is mounted, otherwise None.</summary>
    public IdentityRisk Risk => TokenMounted ? PermissionRisk : IdentityRisk.None;

    /// <summary>Moves to cluster-admin: 0 when the account holds it, null when it cannot get there within the searched depth.</summary>
    public int? EscalationSteps { get; init; }

    /// <summary>The reason for the risk in a few words, for tables: how it reaches cluster-admin, or its strongest capability.</summary>
    public string Why => EscalationSteps switch
    {
        0 => "is cluster-admin",
        int steps => $"becomes cluster-admin in {steps} step(s)",
        null when Capabilities.Count > 0 => Capabilities.Count == 1 ? Capabilities[0] : $"{Capabilities[0]} (+{Capabilities.Count - 1} more)",
        _ => string.Empty,
    };

    /// <summary>Null when the answer rests only on the input; otherwise the default RBAC objects it assumed (see -DefaultRbac).</summary>
    public string? AssumedDefault { get; init; }

    public override string ToString() => $"{Workload} as {ServiceAccount}: {Risk}{(EscalationChain is null ? string.Empty : $" ({EscalationChain})")}";
}
