using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>New, fixed and unchanged findings between two audits, matched by rule id and resource identity (and subject or location).</summary>
public static class AuditDrift
{
    public static List<AuditChange> Compare(IEnumerable<Finding> reference, IEnumerable<Finding> difference, bool includeUnchanged)
    {
        var before = reference.GroupBy(ReportJson.Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var after = difference.GroupBy(ReportJson.Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var changes = new List<AuditChange>();
        changes.AddRange(after.Where(a => !before.ContainsKey(a.Key)).Select(a => new AuditChange("New", a.Value)));
        changes.AddRange(before.Where(b => !after.ContainsKey(b.Key)).Select(b => new AuditChange("Fixed", b.Value)));
        if (includeUnchanged)
        {
            changes.AddRange(after.Where(a => before.ContainsKey(a.Key)).Select(a => new AuditChange("Unchanged", a.Value)));
        }

        return changes.OrderBy(c => c.Change, StringComparer.Ordinal).ThenByDescending(c => c.Finding.Severity).ThenBy(c => c.Finding.RuleId, StringComparer.Ordinal).ToList();
    }
}
