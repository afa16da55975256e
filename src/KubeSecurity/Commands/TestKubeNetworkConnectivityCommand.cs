using System.Management.Automation;
using KubeSecurity.Core.Network;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Whether a connection is allowed, with the policy rules that allow it on each side or the isolation that denies it.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeNetworkConnectivity", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubeNetworkConnectivity.md")]
[OutputType(typeof(ConnectivityResult), typeof(bool))]
public sealed class TestKubeNetworkConnectivityCommand : NetworkCmdletBase
{
    /// <summary>NAMESPACE/NAME (pod or workload), NAMESPACE/KIND/NAME, NAMESPACE/LABEL=VALUE[,...], or an IP address.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.WorkloadCompleter))]
    public string? From { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.WorkloadCompleter))]
    public string? To { get; set; }

    /// <summary>The destination port; without it the answer lists the ports that are allowed.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    [Parameter]
    [ValidateSet("TCP", "UDP", "SCTP")]
    public string Protocol { get; set; } = "TCP";

    /// <summary>Return only $true or $false (true only when every matching pair is allowed).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        NetworkModel model = BuildModel(snapshot);
        List<NetworkEndpoint>? sources = Resolve(model, From!);
        List<NetworkEndpoint>? destinations = Resolve(model, To!);
        if (sources is null || destinations is null)
        {
            return;
        }

        var results = new List<ConnectivityResult>();
        foreach (NetworkEndpoint source in sources)
        {
            foreach (NetworkEndpoint destination in destinations)
            {
                results.Add(Decide(model, source, destination));
            }
        }

        if (model.Unmodeled.Count > 0)
        {
            WriteWarning($"{model.Unmodeled.Count} Calico polic(ies) are not evaluated; the cluster may decide differently.");
        }

        if (Quiet)
        {
            WriteObject(results.All(r => r.Allowed));
        }
        else
        {
            WriteObject(results, enumerateCollection: true);
        }
    }

    private ConnectivityResult Decide(NetworkModel model, NetworkEndpoint source, NetworkEndpoint destination)
    {
        if (source.Pods?.HostNetwork == true || destination.Pods?.HostNetwork == true)
        {
            return new ConnectivityResult(source.Label, destination.Label, Protocol, Port, true,
                "a host-network pod is involved: NetworkPolicy does not apply to it, so nothing here restricts the connection (out of scope)", "out of scope", "out of scope", new[] { "any" });
        }

        (PortSet allowed, SideVerdict egress, SideVerdict ingress) = model.Evaluate(source, destination);
        string egressText = egress.Describe("egress", source.Label);
        string ingressText = ingress.Describe("ingress", destination.Label);
        bool ok = Port is int port ? allowed.Contains(Protocol, port) : !allowed.IsEmpty;
        string reason;
        if (ok)
        {
            reason = $"{egressText}; {ingressText}";
        }
        else if (Port is int p && !egress.Allowed.Contains(Protocol, p))
        {
            reason = $"denied by egress: {egressText}";
        }
        else if (Port is int q && !ingress.Allowed.Contains(Protocol, q))
        {
            reason = $"denied by ingress: {ingressText}";
        }
        else
        {
            reason = $"no port is allowed by both sides ({egress.Allowed} by egress, {ingress.Allowed} by ingress)";
        }

        return new ConnectivityResult(source.Label, destination.Label, Protocol, Port, ok, reason, egressText, ingressText, allowed.Describe());
    }

    private List<NetworkEndpoint>? Resolve(NetworkModel model, string text)
    {
        List<NetworkEndpoint> endpoints = EndpointResolver.Resolve(model, text, out string? problem);
        if (endpoints.Count == 0)
        {
            WriteError(new ErrorRecord(new ArgumentException(problem), ErrorIds.EndpointNotFound, ErrorCategory.ObjectNotFound, text));
            return null;
        }

        return endpoints;
    }
}
