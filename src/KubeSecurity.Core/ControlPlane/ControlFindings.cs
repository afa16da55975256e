using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.ControlPlane;

/// <summary>What control-plane and kubelet results become: one finding per failed control, or one saying nothing was checkable.</summary>
internal static class ControlFindings
{
    /// <summary>The document a control id belongs to: the CIS benchmark for its numbered controls, else the guide or reference named.</summary>
    public static string BenchmarkOf(string control) => control switch
    {
        "NSA-CISA" => "NSA/CISA Kubernetes Hardening Guide",
        _ when control.Length > 0 && char.IsAsciiDigit(control[0]) => ControlPlaneRules.Benchmark,
        _ => "Kubernetes component reference",
    };

    public static List<Finding> Of(IReadOnlyList<ControlCheck> results, string notVisibleRuleId, string inputName, Func<int, string> notVisibleMessage)
    {
        var findings = new List<Finding>();
        if (results.All(r => r.Status == ControlStatus.NotCheckable))
        {
            int count = results.Select(r => r.RuleId).Distinct().Count();
            findings.Add(RuleCatalog.CreateFinding(notVisibleRuleId, new ResourceRef("Cluster", null, inputName), notVisibleMessage(count),
                new Dictionary<string, string> { ["NotCheckable"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            return findings;
        }

        foreach (ControlCheck failed in results.Where(r => r.Status == ControlStatus.Fail))
        {
            bool cis = failed.Benchmark == ControlPlaneRules.Benchmark;
            var evidence = new Dictionary<string, string> { ["Component"] = failed.Component, ["Control"] = failed.Control, ["Benchmark"] = failed.Benchmark, ["Detail"] = failed.Detail };
            findings.Add(RuleCatalog.CreateFinding(failed.RuleId, failed.Pod!,
                $"{failed.Component} {failed.Pod}: {failed.Detail}{(cis ? $" ({failed.Benchmark} {failed.Control})" : string.Empty)}.", evidence));
        }

        return findings;
    }
}
