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
                results.Add(ConnectivityVerdict.Decide(model, source, destination, Protocol, Port));
            }
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
