using System.Management.Automation;
using KubeSecurity.Core.ControlPlane;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Control-plane hardening against the CIS Kubernetes Benchmark: the flags of kube-apiserver,
/// kube-controller-manager, kube-scheduler and etcd, read from their mirror pods (live) or static
/// pod manifests (offline). Failed controls are findings; -IncludePassed lists every control.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeControlPlane", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubeControlPlane.md")]
[OutputType(typeof(Finding), typeof(ControlCheck))]
public sealed class TestKubeControlPlaneCommand : SnapshotInputCmdlet
{
    /// <summary>Every control on every component (Pass, Fail, NotCheckable) instead of the findings of the failed ones.</summary>
    [Parameter]
    public SwitchParameter IncludePassed { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds => Core.Audit.AuditAreas.ControlPlane.Kinds;

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        List<ControlCheck> results = ControlPlaneAnalyzer.Check(snapshot);
        var components = results.Where(r => r.Pod is not null).Select(r => $"{r.Component} {r.Pod}").Distinct(StringComparer.Ordinal).ToList();
        WriteVerbose(components.Count == 0
            ? $"No control-plane component pod in {snapshot}: every control is not checkable from here."
            : $"Checked {components.Count} component(s) of {snapshot} ({string.Join(", ", components)}) against the {Core.Rules.ControlPlaneRules.Benchmark}: {results.Count(r => r.Status == ControlStatus.Pass)} passed, {results.Count(r => r.Status == ControlStatus.Fail)} failed, {results.Count(r => r.Status == ControlStatus.NotCheckable)} not checkable.");
        if (snapshot.MissingKinds.Any(m => m.Kind == "Pod"))
        {
            WriteWarning("Pods could not be collected: the control-plane components could not be read, so their controls are not checkable.");
        }

        if (IncludePassed)
        {
            WriteObject(results, enumerateCollection: true);
            return;
        }

        WriteObject(ControlPlaneAnalyzer.Findings(snapshot, results).OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource.ToString(), StringComparer.Ordinal), enumerateCollection: true);
    }
}
