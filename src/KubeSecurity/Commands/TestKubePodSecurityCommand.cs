using System.Management.Automation;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Workload hardening findings: every Pod Security Standards control of the level, per workload,
/// plus Pod Security Admission labels, resource limits, quotas, image pinning and webhooks that weaken enforcement.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KubePodSecurity", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubePodSecurity.md")]
[OutputType(typeof(Finding))]
public sealed class TestKubePodSecurityCommand : SnapshotInputCmdlet
{
    /// <summary>Baseline (the default) or Restricted, which adds the Restricted controls.</summary>
    [Parameter]
    [ValidateSet("Baseline", "Restricted")]
    public string Level { get; set; } = "Baseline";

    protected override IReadOnlyList<string>? RequiredKinds => Core.Audit.AuditAreas.Workloads.Kinds;

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        List<Finding> findings = PodSecurityAnalyzer.Analyze(snapshot, Level == "Restricted");
        WriteVerbose($"Checked the pod specs of {snapshot} against the Pod Security Standards ({Level}): {findings.Count} finding(s).");
        IEnumerable<Finding> result = findings;
        if (Namespace is { Length: > 0 })
        {
            result = result.Where(f => Namespace.Contains(f.Namespace ?? f.Name, StringComparer.Ordinal));
        }

        WriteObject(result.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource.ToString(), StringComparer.Ordinal), enumerateCollection: true);
    }
}
