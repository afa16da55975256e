namespace KubeSecurity.Model;

/// <summary>
/// One control of a compliance framework as an audit leaves it: its status, why, the rules that
/// decide it, and the findings and resources that made it fail.
/// </summary>
public sealed record ComplianceControlResult(
    string Framework,
    string FrameworkVersion,
    string ControlId,
    string Title,
    string Section,
    ComplianceStatus Status,
    string Reason,
    IReadOnlyList<string> RuleIds,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> Resources)
{
    /// <summary>How many findings made the control fail.</summary>
    public int FindingCount => Findings.Count;

    /// <summary>A limit of what the mapping decides, when the rules cover only part of the control's text.</summary>
    public string? Note { get; init; }

    public override string ToString() => $"{Framework} {ControlId} {Status}: {Title}";
}
