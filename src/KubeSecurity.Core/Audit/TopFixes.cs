using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>One change and the findings it removes.</summary>
public sealed record FixSuggestion(string Change, string Target, IReadOnlyList<string> RuleIds, int FindingCount, Severity HighestSeverity);

/// <summary>
/// The changes that remove the most findings. Each finding belongs to exactly one change: the
/// object whose edit makes it go away (the binding that grants a subject, the namespace that lacks
/// a default-deny policy or a Pod Security label, the workload whose pod template holds the
/// setting, otherwise the resource itself). Because the changes do not overlap, ranking them by the
/// findings they remove is the greedy cover: the first N remove as many findings as any N changes can.
/// </summary>
public static class TopFixes
{
    private static readonly HashSet<string> NamespacePolicyRules = new(StringComparer.Ordinal)
    {
        NetworkRules.NamespaceWithoutPolicy, NetworkRules.IngressNotIsolated, NetworkRules.EgressNotIsolated, NetworkRules.EmptyNamespaceWithoutDefaultDeny,
    };

    private static readonly HashSet<string> NamespaceLabelRules = new(StringComparer.Ordinal)
    {
        WorkloadRules.PsaEnforceMissing, WorkloadRules.PsaPrivileged, WorkloadRules.PsaAuditWithoutEnforce,
    };

    public static List<FixSuggestion> Rank(IEnumerable<Finding> findings, int top = 10) =>
        findings.Where(f => f.Severity >= Severity.Low)
            .GroupBy(Of)
            .Select(g => new FixSuggestion(g.Key.Change, g.Key.Target, g.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), g.Count(), g.Max(f => f.Severity)))
            .OrderByDescending(s => s.FindingCount).ThenByDescending(s => s.HighestSeverity).ThenBy(s => s.Target, StringComparer.Ordinal)
            .Take(top)
            .ToList();

    /// <summary>The change that removes a finding, and the object it changes (named with its cluster in a fleet).</summary>
    public static (string Change, string Target) Of(Finding finding)
    {
        string prefix = finding.Context is null ? string.Empty : finding.Context + ": ";
        if (finding.Evidence.TryGetValue("Binding", out string? binding))
        {
            return finding.Evidence.TryGetValue("Subject", out string? subject)
                ? ($"remove {subject} from {binding}", prefix + binding)
                : ($"narrow {binding}", prefix + binding);
        }

        if (finding.Kind is "RoleBinding" or "ClusterRoleBinding")
        {
            return finding.Evidence.TryGetValue("Subject", out string? subject)
                ? ($"remove {subject} from {finding.Resource}", prefix + finding.Resource)
                : ($"change {finding.Resource}", prefix + finding.Resource);
        }

        string? ns = finding.Kind == "Namespace" ? finding.Name : finding.Namespace;
        if (NamespacePolicyRules.Contains(finding.RuleId) && ns is not null)
        {
            return ($"add a default-deny NetworkPolicy (and the allows traffic needs) to namespace {ns}", $"{prefix}Namespace/{ns}");
        }

        if (NamespaceLabelRules.Contains(finding.RuleId) && ns is not null)
        {
            return ($"label namespace {ns} pod-security.kubernetes.io/enforce=baseline or restricted", $"{prefix}Namespace/{ns}");
        }

        if (finding.Category == WorkloadRules.Category && finding.Evidence.ContainsKey("Field"))
        {
            return ($"harden the pod template of {finding.Resource}", prefix + finding.Resource);
        }

        return ($"fix {finding.Resource}", prefix + finding.Resource);
    }
}
