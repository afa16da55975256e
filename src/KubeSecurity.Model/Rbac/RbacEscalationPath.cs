namespace KubeSecurity.Model;

/// <summary>One move in an escalation chain: what the attacker does, as whom, to become whom, and the grant that allows it.</summary>
public sealed record RbacEscalationStep(int Order, string Technique, string From, string To, string Description, string Grant)
{
    public override string ToString() => $"{Order}. {Description} [{Grant}]";
}

/// <summary>An ordered chain by which a subject reaches more power (cluster-admin or a named permission).</summary>
public sealed record RbacEscalationPath(RbacSubject Subject, string Target, IReadOnlyList<RbacEscalationStep> Steps)
{
    public int Length => Steps.Count;

    /// <summary>The chain in one line: <c>ServiceAccount:ci/builder -> ... -> cluster-admin</c>.</summary>
    public string Chain => string.Join(" -> ", new[] { Subject.ToString() }.Concat(Steps.Select(s => s.To)));

    public override string ToString() => $"{Subject} reaches {Target} in {Length} step(s): {string.Join(" ; ", Steps.Select(s => s.Description))}";
}
