using System.Management.Automation;
using KubeSecurity.Core.Network;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Per namespace and per workload: isolated for ingress and for egress, and by which policies.</summary>
[Cmdlet(VerbsCommon.Get, "KubeNetworkPolicyCoverage", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeNetworkPolicyCoverage.md")]
[OutputType(typeof(NetworkCoverage))]
public sealed class GetKubeNetworkPolicyCoverageCommand : NetworkCmdletBase
{
    /// <summary>Only the namespace rows, without workloads.</summary>
    [Parameter]
    public SwitchParameter NamespaceOnly { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        NetworkModel model = BuildModel(snapshot);
        IEnumerable<NetworkCoverage> rows = NetworkCoverageAnalyzer.Analyze(model);
        if (Namespace is { Length: > 0 })
        {
            rows = rows.Where(r => Namespace.Contains(r.Namespace, StringComparer.Ordinal));
        }

        WriteObject(NamespaceOnly ? rows.Where(r => r.Kind == "Namespace") : rows, enumerateCollection: true);
    }
}
