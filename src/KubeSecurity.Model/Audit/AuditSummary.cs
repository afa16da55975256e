namespace KubeSecurity.Model;

/// <summary>The end of an audit: what was found (by severity and category), what was suppressed, and what could not be checked and why.</summary>
public sealed record AuditSummary(
    string? Cluster,
    string? Context,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    int Total,
    IReadOnlyDictionary<string, int> BySeverity,
    IReadOnlyDictionary<string, int> ByCategory,
    int Suppressed,
    int NewSinceBaseline,
    IReadOnlyList<string> Areas,
    IReadOnlyList<string> SkippedAreas)
{
    /// <summary>The -FailOn gate of the audit, when it had one.</summary>
    public Severity? FailOn { get; init; }

    /// <summary>How many findings fail the gate: at or above <see cref="FailOn"/> (only those new since the baseline with -Baseline).</summary>
    public int FailingCount { get; init; }

    /// <summary>The moment findings were judged against (-AsOf; the audit's start otherwise): expiry and staleness depend on it.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Where the audited objects came from: manifest files, a saved snapshot, or the cluster's address.</summary>
    public IReadOnlyList<string> Sources { get; init; } = Array.Empty<string>();

    /// <summary>The rules this audit ran, after -Category, -IncludeRule, -ExcludeRule, -MinimumSeverity and -RestrictedPodSecurity: a rule not listed here said nothing either way.</summary>
    public IReadOnlyList<string> EvaluatedRules { get; init; } = Array.Empty<string>();

    /// <summary>Rules that ran but could not decide, by rule id, with the reason (a control-plane component not visible, no kubelet configuration).</summary>
    public IReadOnlyDictionary<string, string> NotCheckableRules { get; init; } = new Dictionary<string, string>();

    /// <summary>True when the audit had a gate and findings fail it; false when it passed; null without a gate.</summary>
    public bool? GateFailed => FailOn is null ? null : FailingCount > 0;

    public override string ToString() =>
        $"{Total} finding(s) ({string.Join(", ", BySeverity.Where(s => s.Value > 0).Select(s => $"{s.Key} {s.Value}"))}); {Suppressed} suppressed" +
        (SkippedAreas.Count > 0 ? $"; not fully checked: {string.Join("; ", SkippedAreas)}" : string.Empty) +
        (FailOn is null ? string.Empty : GateFailed == true ? $"; gate FAILED: {FailingCount} at or above {FailOn}" : $"; gate passed (-FailOn {FailOn})");
}
