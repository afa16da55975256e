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
        List<NetworkConnection> decided = ConnectivityMapper.InScope(map).ToList();
        WriteVerbose($"{decided.Count} allowed connection(s) between workloads and address ranges; {decided.Count(c => c.Completeness == NetworkCompleteness.Partial)} of them partial.");
        IReadOnlyList<ResourceRef> hostNetwork = ConnectivityVerdict.OutOfScopeWorkloads(model);
        if (hostNetwork.Count > 0)
        {
            // Test-KubeNetworkConnectivity answers "allowed (out of scope)" for these; the map lists them the same way.
            WriteWarning($"{hostNetwork.Count} workload(s) run on the host network, where NetworkPolicy does not apply (out of scope): {string.Join(", ", hostNetwork.Take(10))}{(hostNetwork.Count > 10 ? ", ..." : string.Empty)}. "
                + (As == "Object" ? "They are listed with \"*\" as their peer and Completeness OutOfScope." : "They are not drawn."));
        }

        switch (As)
        {
            case "Dot":
                WriteObject(ConnectivityMapper.ToDot(decided));
                break;
            case "Mermaid":
                WriteObject(ConnectivityMapper.ToMermaid(decided));
                break;
            case "Csv":
                WriteObject(ConnectivityMapper.ToCsv(decided));
                break;
            default:
                WriteObject(map, enumerateCollection: true);
                break;
        }
    }
}
