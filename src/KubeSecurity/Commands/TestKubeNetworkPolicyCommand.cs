using System.Management.Automation;
using KubeSecurity.Core.Network;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>NetworkPolicy findings from the semantic model: open namespaces and workloads, over-broad rules, blocked DNS, dead policies.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeNetworkPolicy", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubeNetworkPolicy.md")]
[OutputType(typeof(Finding))]
public sealed class TestKubeNetworkPolicyCommand : NetworkCmdletBase
{
    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        NetworkModel model = BuildModel(snapshot);
        List<Finding> findings = NetworkRiskAnalyzer.Analyze(model);
        if (Namespace is { Length: > 0 })
        {
            findings = findings.Where(f => Namespace.Contains(f.Namespace ?? f.Name, StringComparer.Ordinal)).ToList();
        }

        if (model.Problems.Count > 0)
        {
            WriteWarning($"{model.Problems.Count} polic(ies) could not be evaluated (see the errors); findings leave them out.");
        }

        WriteObject(findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource.ToString(), StringComparer.Ordinal), enumerateCollection: true);
    }
}
