using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>
/// Turns an audit's findings and summary into a framework's control statuses. A control passes
/// only when every rule that decides it ran, could decide, and found nothing; a rule the audit did
/// not run, or could not decide (a component not visible), leaves the control NotEvaluated or
/// NotCheckable, never Passed.
/// </summary>
public static class ComplianceEvaluator
{
    public static List<ComplianceControlResult> Evaluate(ComplianceFramework framework, IReadOnlyList<Finding> findings, AuditSummary? summary)
    {
        ILookup<string, Finding> byRule = findings.ToLookup(f => f.RuleId, StringComparer.Ordinal);
        var evaluated = new HashSet<string>(summary?.EvaluatedRules ?? Array.Empty<string>(), StringComparer.Ordinal);
        bool fleet = ReportWriters.SpansContexts(findings);
        var results = new List<ComplianceControlResult>(framework.Controls.Count);
        foreach (ComplianceControl control in framework.Controls)
        {
            (ComplianceStatus status, string reason, List<Finding> failing) = Decide(control, byRule, evaluated, summary);
            List<string> resources = failing.Select(f => fleet && f.Context is not null ? $"{f.Context}: {f.Resource}" : f.Resource.ToString())
                .Distinct(StringComparer.Ordinal).ToList();
            results.Add(new ComplianceControlResult(framework.Name, framework.Version, control.ControlId, control.Title, control.Section, status, reason, control.RuleIds, failing, resources)
            {
                Note = control.Note,
            });
        }

        return results;
    }

    /// <summary>Every framework's controls and score, for reports; empty without a summary (without one, nothing but failures could be told).</summary>
    public static List<(ComplianceFramework Framework, List<ComplianceControlResult> Controls, ComplianceScore Score)> EvaluateAll(IReadOnlyList<Finding> findings, AuditSummary? summary)
    {
        var all = new List<(ComplianceFramework, List<ComplianceControlResult>, ComplianceScore)>();
        if (summary is null)
        {
            return all;
        }

        foreach (ComplianceFramework framework in ComplianceFrameworks.All)
        {
            List<ComplianceControlResult> controls = Evaluate(framework, findings, summary);
            all.Add((framework, controls, Score(framework, controls)));
        }

        return all;
    }

    public static ComplianceScore Score(ComplianceFramework framework, IReadOnlyList<ComplianceControlResult> results) =>
        new(framework.Name, framework.Version, results.Count,
            results.Count(r => r.Status == ComplianceStatus.Passed),
            results.Count(r => r.Status == ComplianceStatus.Failed),
            results.Count(r => r.Status == ComplianceStatus.NotApplicable),
            results.Count(r => r.Status == ComplianceStatus.NotCheckable),
            results.Count(r => r.Status == ComplianceStatus.NotEvaluated));

    private static (ComplianceStatus, string, List<Finding>) Decide(ComplianceControl control, ILookup<string, Finding> byRule, HashSet<string> evaluated, AuditSummary? summary)
    {
        if (control.RuleIds.Count == 0)
        {
            return (ComplianceStatus.NotCheckable, control.NotCheckableReason ?? "no rule decides this control", new List<Finding>());
        }

        List<Finding> failing = control.RuleIds.SelectMany(r => byRule[r])
            .Where(f => f.Severity >= Severity.Low && (control.Match is null || f.Message.Contains(control.Match, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (failing.Count > 0)
        {
            string rules = string.Join(", ", failing.Select(f => f.RuleId).Distinct(StringComparer.Ordinal));
            int resources = failing.Select(f => (f.Context, f.Resource)).Distinct().Count();
            return (ComplianceStatus.Failed, $"{failing.Count} finding(s) of {rules} on {resources} resource(s)", failing);
        }

        // A rule seen in the findings ran, whatever the summary says (findings piped from Test-KubeEncryptionConfiguration, for instance).
        List<string> notRun = control.RuleIds.Where(r => !evaluated.Contains(r) && !byRule[r].Any()).ToList();
        if (summary is null)
        {
            return (ComplianceStatus.NotEvaluated, "no audit summary in the input, so it is unknown which rules ran: pipe the whole output of Invoke-KubeSecurityAudit", failing);
        }

        List<string> undecided = control.RuleIds.Where(r => summary!.NotCheckableRules.ContainsKey(r)).ToList();
        if (undecided.Count > 0)
        {
            return (ComplianceStatus.NotCheckable, string.Join("; ", undecided.Select(r => $"{r}: {summary!.NotCheckableRules[r]}").Distinct(StringComparer.Ordinal)), failing);
        }

        if (notRun.Count > 0)
        {
            return (ComplianceStatus.NotEvaluated, string.Join("; ", notRun.GroupBy(WhyNotRun).Select(g => $"{string.Join(", ", g)} {g.Key}")), failing);
        }

        List<AuditArea> areas = control.RuleIds.Select(AreaOf).OfType<AuditArea>().Distinct().ToList();
        List<string> partial = areas.SelectMany(a => summary!.SkippedAreas.Where(s => s.Contains($"{a.Name}: partial", StringComparison.Ordinal))).ToList();
        if (partial.Count > 0)
        {
            return (ComplianceStatus.NotCheckable, $"the input is partial ({string.Join("; ", partial)}), so finding nothing does not show the control is met", failing);
        }

        if (areas.Count > 0 && areas.All(a => summary!.SkippedAreas.Any(s => s.Contains($"{a.Name}: nothing to check", StringComparison.Ordinal))))
        {
            return (ComplianceStatus.NotApplicable, $"nothing in the input for {string.Join(" and ", areas.Select(a => a.Name))} to check", failing);
        }

        return (ComplianceStatus.Passed, $"no finding of {string.Join(", ", control.RuleIds)}", failing);
    }

    private static AuditArea? AreaOf(string ruleId) =>
        RuleCatalog.TryGet(ruleId, out SecurityRule rule) ? AuditAreas.All.FirstOrDefault(a => a.Category == rule.Category) : null;

    private static string WhyNotRun(string ruleId) =>
        AuditAreas.DecidedElsewhere.TryGetValue(ruleId, out string? cmdlet) ? $"decided by {cmdlet}, which the audit does not run: pipe its findings in"
        : AuditAreas.RestrictedOnly.Contains(ruleId) ? "runs only in an audit with -RestrictedPodSecurity"
        : "not run by this audit (-Category, -IncludeRule, -ExcludeRule or -MinimumSeverity)";
}
