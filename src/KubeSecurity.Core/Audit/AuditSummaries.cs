using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>One summary for a report over several audits (a fleet): counts added up, skipped areas named by the cluster they belong to.</summary>
public static class AuditSummaries
{
    /// <summary>Null for no summaries, the summary itself for one, otherwise the sum; cluster and context stay only when all agree.</summary>
    public static AuditSummary? Combine(IReadOnlyList<AuditSummary> summaries)
    {
        if (summaries.Count <= 1)
        {
            return summaries.Count == 0 ? null : summaries[0];
        }

        DateTimeOffset started = summaries.Min(s => s.StartedAt);
        DateTimeOffset ended = summaries.Max(s => s.StartedAt + s.Duration);
        return new AuditSummary(
            Agreed(summaries.Select(s => s.Cluster)),
            Agreed(summaries.Select(s => s.Context)),
            started,
            ended - started,
            summaries.Sum(s => s.Total),
            Sum(summaries.Select(s => s.BySeverity)),
            Sum(summaries.Select(s => s.ByCategory)),
            summaries.Sum(s => s.Suppressed),
            summaries.Sum(s => s.NewSinceBaseline),
            summaries.SelectMany(s => s.Areas).Distinct(StringComparer.Ordinal).ToList(),
            summaries.SelectMany(s => s.SkippedAreas.Select(area => s.Context is null ? area : $"{s.Context}: {area}")).ToList())
        {
            FailOn = summaries.Select(s => s.FailOn).FirstOrDefault(f => f is not null),
            FailingCount = summaries.Sum(s => s.FailingCount),
        };
    }

    /// <summary>How a summary names what was audited: its context, its cluster, or "snapshot".</summary>
    public static string Origin(AuditSummary summary) => summary.Context ?? summary.Cluster ?? "snapshot";

    private static string? Agreed(IEnumerable<string?> values)
    {
        List<string?> distinct = values.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : null;
    }

    private static Dictionary<string, int> Sum(IEnumerable<IReadOnlyDictionary<string, int>> counts)
    {
        var total = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (IReadOnlyDictionary<string, int> count in counts)
        {
            foreach ((string key, int value) in count)
            {
                total[key] = total.GetValueOrDefault(key) + value;
            }
        }

        return total;
    }
}
