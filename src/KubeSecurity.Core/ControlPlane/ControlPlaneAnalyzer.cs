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
                results.Add(new ControlCheck(check.RuleId, check.Control, ControlFindings.BenchmarkOf(check.Control), check.Component, null, ControlStatus.NotCheckable, check.Title,
                    $"no {check.Component} pod in the input, so its flags cannot be read"));
                continue;
            }

            foreach (ControlPlaneComponent component in targets)
            {
                Verdict verdict = check.Evaluate(component, context);
                results.Add(new ControlCheck(check.RuleId, check.Control, ControlFindings.BenchmarkOf(check.Control), check.Component, component.Pod,
                    verdict.Passed ? ControlStatus.Pass : ControlStatus.Fail, check.Title, verdict.Detail));
            }
        }

        return results;
    }

    public static List<Finding> Analyze(KubeSnapshot snapshot) => Findings(snapshot, Check(snapshot));

    public static List<Finding> Findings(KubeSnapshot snapshot, IReadOnlyList<ControlCheck> results) =>
        ControlFindings.Of(results, ControlPlaneRules.NotVisible, snapshot.Cluster ?? snapshot.Context ?? "input", count =>
            $"No control-plane component (kube-apiserver, kube-controller-manager, kube-scheduler, etcd) is in the input: {count} control-plane controls of the {ControlPlaneChecks.Benchmark} are not checkable from here (a managed control plane, or kube-system not collected), which is not the same as passing them.");
}
