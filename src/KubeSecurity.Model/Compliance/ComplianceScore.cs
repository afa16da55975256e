namespace KubeSecurity.Model;

/// <summary>A framework's totals after an audit: controls by status and the share of decided controls that passed.</summary>
public sealed record ComplianceScore(
    string Framework,
    string FrameworkVersion,
    int Controls,
    int Passed,
    int Failed,
    int NotApplicable,
    int NotCheckable,
    int NotEvaluated)
{
    /// <summary>Passed controls as a percentage of those decided here (passed or failed); null when none was decided.</summary>
    public double? Score => Passed + Failed == 0 ? null : Math.Round(100.0 * Passed / (Passed + Failed), 1);

    /// <summary>Decided controls (passed or failed) as a percentage of all the framework's controls: how much of the framework the score speaks for.</summary>
    public double Coverage => Controls == 0 ? 0 : Math.Round(100.0 * (Passed + Failed) / Controls, 1);

    public override string ToString() =>
        $"{Framework}: {(Score is double s ? $"{s:0.#}%" : "no score")} ({Passed} passed, {Failed} failed of {Passed + Failed} decided; {NotCheckable} not checkable, {NotEvaluated} not evaluated, {NotApplicable} not applicable)";
}
