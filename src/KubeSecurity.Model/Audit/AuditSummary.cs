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
    public override string ToString() =>
        $"{Total} finding(s) ({string.Join(", ", BySeverity.Where(s => s.Value > 0).Select(s => $"{s.Key} {s.Value}"))}); {Suppressed} suppressed" +
        (SkippedAreas.Count > 0 ? $"; not fully checked: {string.Join("; ", SkippedAreas)}" : string.Empty);
}
