using System.Management.Automation;
using KubeSecurity.Core.Network;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Every allowed connection between workloads and outside address ranges, as objects or as a Dot, Mermaid or CSV graph.</summary>
[Cmdlet(VerbsCommon.Get, "KubeConnectivityMap", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeConnectivityMap.md")]
[OutputType(typeof(NetworkConnection), typeof(string))]
public sealed class GetKubeConnectivityMapCommand : NetworkCmdletBase
{
    [Parameter]
    [ValidateSet("Object", "Dot", "Mermaid", "Csv")]
    public string As { get; set; } = "Object";

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        NetworkModel model = BuildModel(snapshot);
        List<NetworkConnection> map = RunEngine((reporter, token) =>
        {
            reporter.Progress(new Core.Diagnostics.OperationProgress("Mapping connectivity", $"{model.Classes.Count} pod groups", -1));
            List<NetworkConnection> result = ConnectivityMapper.Map(model, Namespace, null, token);
            reporter.Progress(new Core.Diagnostics.OperationProgress("Mapping connectivity", "Done", 100, Completed: true));
            return Task.FromResult(result);
        });
        WriteVerbose($"{map.Count} allowed connection(s) between workloads and address ranges.");
        IReadOnlyList<ResourceRef> hostNetwork = ConnectivityVerdict.OutOfScopeWorkloads(model);
        if (hostNetwork.Count > 0)
        {
            // Test-KubeNetworkConnectivity answers "allowed (out of scope)" for these; the map says why they are absent.
            WriteWarning($"{hostNetwork.Count} workload(s) run on the host network, where NetworkPolicy does not apply, and are not in the map (out of scope): {string.Join(", ", hostNetwork.Take(10))}{(hostNetwork.Count > 10 ? ", ..." : string.Empty)}.");
        }

        switch (As)
        {
            case "Dot":
                WriteObject(ConnectivityMapper.ToDot(map));
                break;
            case "Mermaid":
                WriteObject(ConnectivityMapper.ToMermaid(map));
                break;
            case "Csv":
                WriteObject(ConnectivityMapper.ToCsv(map));
                break;
            default:
                WriteObject(map, enumerateCollection: true);
                break;
        }
    }
}
