using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>
/// Pods that NetworkPolicy cannot tell apart: same namespace, same labels, same named container
/// ports. The model evaluates classes, not pods, so replicas cost nothing.
/// </summary>
public sealed class PodClass
{
    internal PodClass(int id, string ns, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> namespaceLabels,
        IReadOnlyList<NamedPort> namedPorts, bool hostNetwork)
    {
        Id = id;
        Namespace = ns;
        Labels = labels;
        NamespaceLabels = namespaceLabels;
        NamedPorts = namedPorts;
        HostNetwork = hostNetwork;
    }

    public int Id { get; }
    public string Namespace { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public IReadOnlyDictionary<string, string> NamespaceLabels { get; }
    public IReadOnlyList<NamedPort> NamedPorts { get; }
    public bool HostNetwork { get; }

    /// <summary>The workloads whose pods fall in this class (usually one).</summary>
    public List<ResourceRef> Workloads { get; } = new();

    /// <summary>Pods of the snapshot in this class (<c>ns/name</c>); empty when only a template was seen.</summary>
    public List<string> Pods { get; } = new();

    public List<System.Net.IPAddress> Addresses { get; } = new();

    private NetworkEndpoint? endpoint;
    private Dictionary<(string Name, string Protocol), PortSet>? resolved;

    /// <summary>The class as a connection endpoint; its label is taken when first asked, once the workloads are known.</summary>
    internal NetworkEndpoint Endpoint => endpoint ??= new NetworkEndpoint(this, null, ToString());

    /// <summary>The ports a named port resolves to on these pods.</summary>
    public PortSet Resolve(string name, string protocol)
    {
        resolved ??= new Dictionary<(string, string), PortSet>();
        if (resolved.TryGetValue((name, protocol), out PortSet? known))
        {
            return known;
        }

        PortSet set = PortSet.None;
        foreach (NamedPort port in NamedPorts)
        {
            if (port.Name == name && port.Protocol == protocol)
            {
                set = set.Union(PortSet.Of(protocol, port.Port, port.Port));
            }
        }

        return resolved[(name, protocol)] = set;
    }

    public override string ToString() => Workloads.Count > 0 ? string.Join(",", Workloads) : $"{Namespace}/[{string.Join(",", Labels.Select(l => $"{l.Key}={l.Value}"))}]";
}

/// <summary>A container port with a name, as named ports in policies refer to it.</summary>
public sealed record NamedPort(string Name, int Port, string Protocol);
