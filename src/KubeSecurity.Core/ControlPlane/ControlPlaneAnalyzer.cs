using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.ControlPlane;

/// <summary>
/// The control-plane controls on every component found, one result per control and component:
/// failed ones become findings. Components that are not visible (a managed control plane, external
/// etcd) leave their controls NotCheckable, never passed.
/// </summary>
public static class ControlPlaneAnalyzer
{
    public static List<ControlCheck> Check(KubeSnapshot snapshot)
    {
        List<ControlPlaneComponent> components = ControlPlaneComponents.Find(snapshot);
        var context = new ControlPlaneContext(components);
        var results = new List<ControlCheck>();
        foreach (ControlPlaneCheck check in ControlPlaneChecks.All)
        {
            List<ControlPlaneComponent> targets = components.Where(c => c.Name == check.Component).ToList();
            if (targets.Count == 0)
            {
                results.Add(new ControlCheck(check.RuleId, check.Control, ControlPlaneChecks.Benchmark, check.Component, null, ControlStatus.NotCheckable, check.Title,
                    $"no {check.Component} pod in the input, so its flags cannot be read"));
                continue;
            }

            foreach (ControlPlaneComponent component in targets)
            {
                Verdict verdict = check.Evaluate(component, context);
                results.Add(new ControlCheck(check.RuleId, check.Control, ControlPlaneChecks.Benchmark, check.Component, component.Pod,
                    verdict.Passed ? ControlStatus.Pass : ControlStatus.Fail, check.Title, verdict.Detail));
            }
        }

        return results;
    }

    public static List<Finding> Analyze(KubeSnapshot snapshot) => Findings(snapshot, Check(snapshot));

    public static List<Finding> Findings(KubeSnapshot snapshot, IReadOnlyList<ControlCheck> results)
    {
        var findings = new List<Finding>();
        if (results.All(r => r.Status == ControlStatus.NotCheckable))
        {
            findings.Add(RuleCatalog.CreateFinding(ControlPlaneRules.NotVisible, new ResourceRef("Cluster", null, snapshot.Cluster ?? snapshot.Context ?? "input"),
                $"No control-plane component (kube-apiserver, kube-controller-manager, kube-scheduler, etcd) is in the input: {results.Select(r => r.RuleId).Distinct().Count()} control-plane controls of the {ControlPlaneChecks.Benchmark} are not checkable from here (a managed control plane, or kube-system not collected), which is not the same as passing them.",
                new Dictionary<string, string> { ["NotCheckable"] = results.Select(r => r.RuleId).Distinct().Count().ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            return findings;
        }

        foreach (ControlCheck failed in results.Where(r => r.Status == ControlStatus.Fail))
        {
            findings.Add(RuleCatalog.CreateFinding(failed.RuleId, failed.Pod!,
                $"{failed.Component} {failed.Pod}: {failed.Detail} ({failed.Benchmark} {failed.Control}).",
                new Dictionary<string, string> { ["Component"] = failed.Component, ["Control"] = failed.Control, ["Benchmark"] = failed.Benchmark, ["Detail"] = failed.Detail }));
        }

        return findings;
    }
}
