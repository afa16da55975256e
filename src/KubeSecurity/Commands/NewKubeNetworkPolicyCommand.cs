using System.Management.Automation;
using KubeSecurity.Core.Network;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Writes NetworkPolicies: namespace default-deny (DNS kept unless told otherwise), namespace
/// isolation, or least-privilege allow policies for observed connections. Kubernetes
/// NetworkPolicy by default; Calico, Cilium, AdminNetworkPolicy or BaselineAdminNetworkPolicy on
/// request (-Flavor, alias -As). Objects pipe to Export-KubeManifest or Set-KubeNetworkPolicy.
/// </summary>
[Cmdlet(VerbsCommon.New, "KubeNetworkPolicy", DefaultParameterSetName = DefaultDenySet, HelpUri = HelpLinks.Base + "New-KubeNetworkPolicy.md")]
[OutputType(typeof(KubeObject))]
public sealed class NewKubeNetworkPolicyCommand : KubeCmdletBase
{
    private const string DefaultDenySet = "DefaultDeny";
    private const string IsolationSet = "NamespaceIsolation";
    private const string ObservedSet = "FromObserved";
    private readonly List<ObservedFlow> flows = new();

    [Parameter(Mandatory = true, ParameterSetName = DefaultDenySet)]
    public SwitchParameter DefaultDeny { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IsolationSet)]
    public SwitchParameter NamespaceIsolation { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DefaultDenySet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = IsolationSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    /// <summary>Deny ingress. With neither -Ingress nor -Egress, both are denied.</summary>
    [Parameter(ParameterSetName = DefaultDenySet)]
    public SwitchParameter Ingress { get; set; }

    [Parameter(ParameterSetName = DefaultDenySet)]
    public SwitchParameter Egress { get; set; }

    /// <summary>Keep DNS egress to kube-dns in kube-system (the default); -AllowDns $false closes it too.</summary>
    [Parameter(ParameterSetName = DefaultDenySet)]
    public bool AllowDns { get; set; } = true;

    /// <summary>Observed connections: Get-KubeConnectivityMap output or objects with Source, Destination, Port/Protocol or Ports.</summary>
    [Parameter(ParameterSetName = ObservedSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object[]? FromObserved { get; set; }

    /// <summary>A CSV (with a header row) or JSON file of observed flows.</summary>
    [Parameter(ParameterSetName = ObservedSet)]
    [ValidateNotNullOrEmpty]
    public string[]? ObservedPath { get; set; }

    /// <summary>The snapshot whose workloads the observed flows name (their pod labels become the selectors).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ObservedSet)]
    [ValidateNotNull]
    public KubeSnapshot? Snapshot { get; set; }

    /// <summary>What to write: Kubernetes NetworkPolicy, Calico, Cilium, or the cluster-wide AdminNetworkPolicy / BaselineAdminNetworkPolicy.</summary>
    [Parameter]
    [Alias("As")]
    [ValidateSet(NetworkPolicyGenerator.Kubernetes, NetworkPolicyGenerator.Calico, NetworkPolicyGenerator.Cilium, NetworkPolicyGenerator.AdminNetworkPolicy, NetworkPolicyGenerator.BaselineAdminNetworkPolicy)]
    public string Flavor { get; set; } = NetworkPolicyGenerator.Kubernetes;

    // The baseline is a singleton: the namespaces of the whole pipeline go into one object.
    private readonly List<string> baselineNamespaces = new();

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case DefaultDenySet:
                bool both = !Ingress && !Egress;
                foreach (string ns in Namespace!)
                {
                    if (Flavor == NetworkPolicyGenerator.BaselineAdminNetworkPolicy)
                    {
                        baselineNamespaces.Add(ns);
                        continue;
                    }

                    WriteObject(NetworkPolicyGenerator.DefaultDeny(ns, both || Ingress, both || Egress, AllowDns, Flavor));
                }

                break;
            case IsolationSet:
                foreach (string ns in Namespace!)
                {
                    if (Flavor == NetworkPolicyGenerator.BaselineAdminNetworkPolicy)
                    {
                        baselineNamespaces.Add(ns);
                        continue;
                    }

                    WriteObject(NetworkPolicyGenerator.NamespaceIsolation(ns, Flavor));
                }

                break;
            default:
                foreach (object item in FromObserved ?? Array.Empty<object>())
                {
                    AddFlow(item);
                }

                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == DefaultDenySet && baselineNamespaces.Count > 0)
        {
            bool both = !Ingress && !Egress;
            WriteObject(NetworkPolicyGenerator.BaselineDefaultDeny(baselineNamespaces.Distinct(StringComparer.Ordinal).ToList(), both || Ingress, both || Egress, AllowDns));
            WriteVerbose("AdminNetworkPolicy and BaselineAdminNetworkPolicy ingress rules name pods and namespaces only: connections from outside the cluster stay with NetworkPolicy.");
        }
        else if (ParameterSetName == IsolationSet && baselineNamespaces.Count > 0)
        {
            List<string> distinct = baselineNamespaces.Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count > 1)
            {
                // "Same namespace" cannot be said once for several subjects in the one baseline the API allows.
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"A BaselineAdminNetworkPolicy cannot isolate {distinct.Count} namespaces from each other ({string.Join(", ", distinct)}): the API holds one baseline, and its rules apply to every namespace it selects. Use -As AdminNetworkPolicy, Cilium, Calico or Kubernetes."),
                    ErrorIds.PolicyNotExpressible, ErrorCategory.InvalidArgument, distinct));
            }

            WriteObject(NetworkPolicyGenerator.NamespaceIsolation(distinct[0], Flavor));
        }

        if (ParameterSetName != ObservedSet)
        {
            return;
        }

        foreach (string path in ObservedPath ?? Array.Empty<string>())
        {
            var problems = new List<string>();
            string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            try
            {
                flows.AddRange(ObservedFlow.ReadFile(full, problems));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.ObservedFlowInvalid, ErrorCategory.InvalidData, full));
            }

            foreach (string problem in problems)
            {
                WriteError(new ErrorRecord(new FormatException(problem), ErrorIds.ObservedFlowInvalid, ErrorCategory.InvalidData, full));
            }
        }

        var warnings = new List<string>();
        NetworkModel model = NetworkModel.Build(Snapshot!);
        List<KubeObject> policies = NetworkPolicyGenerator.FromObserved(model, flows, Flavor, warnings);
        foreach (string warning in warnings)
        {
            WriteWarning(warning);
        }

        WriteVerbose($"{flows.Count} observed flow(s) became {policies.Count} allow polic(ies); add a default-deny (New-KubeNetworkPolicy -DefaultDeny) so that nothing else is allowed.");
        WriteObject(policies, enumerateCollection: true);
    }

    private void AddFlow(object item)
    {
        object value = item is PSObject wrapped ? wrapped.BaseObject : item;
        try
        {
            if (value is NetworkConnection connection)
            {
                flows.Add(new ObservedFlow(connection.SourceKind, connection.SourceNamespace, connection.Source, connection.DestinationKind, connection.DestinationNamespace, connection.Destination,
                    PortSet.TryParse(connection.Ports, out PortSet ports) ? ports : throw new FormatException($"Ports '{string.Join(",", connection.Ports)}' are not a port list")));
                return;
            }

            var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (PSPropertyInfo property in PSObject.AsPSObject(item).Properties)
            {
                object? raw = property.Value is PSObject p ? p.BaseObject : property.Value;
                fields[property.Name] = raw is System.Collections.IEnumerable list and not string ? string.Join(" ", list.Cast<object>()) : raw?.ToString();
            }

            if (value is System.Collections.IDictionary table)
            {
                foreach (System.Collections.DictionaryEntry entry in table)
                {
                    fields[entry.Key.ToString()!] = entry.Value is System.Collections.IEnumerable list and not string ? string.Join(" ", list.Cast<object>()) : entry.Value?.ToString();
                }
            }

            flows.Add(ObservedFlow.FromFields(fields));
        }
        catch (FormatException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.ObservedFlowInvalid, ErrorCategory.InvalidData, item));
        }
    }
}
