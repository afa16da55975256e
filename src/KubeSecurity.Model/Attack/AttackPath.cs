namespace KubeSecurity.Model;

/// <summary>
/// A shortest way from an entry (the Internet, a workload, an identity) to a target (cluster-admin,
/// root on a node, the secrets of a namespace, an identity): ordered steps, fewest first, then the
/// easiest. <see cref="Caveats"/> says what the path assumes that the snapshot cannot show.
/// </summary>
public sealed record AttackPath(string Source, string Target, IReadOnlyList<AttackStep> Steps)
{
    public int Length => Steps.Count;

    /// <summary>The path in one line: <c>Internet -> Deployment/shop/frontend -> Node/worker-1 -> ... -> cluster-admin</c>.</summary>
    public string Chain => string.Join(" -> ", new[] { Source }.Concat(Steps.Select(s => s.To)));

    /// <summary>Assumptions the answer rests on (a workload's node unknown, an ingress controller not in the input).</summary>
    public IReadOnlyList<string> Caveats { get; init; } = Array.Empty<string>();

    public override string ToString() => $"{Source} reaches {Target} in {Length} step(s): {Chain}";
}
