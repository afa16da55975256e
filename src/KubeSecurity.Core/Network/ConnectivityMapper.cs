using System.Text;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>
/// Every allowed connection between workloads, and between workloads and outside address ranges,
/// evaluated once per pair of pod classes and reported per pair of owning workloads.
/// </summary>
public static class ConnectivityMapper
{
    public static List<NetworkConnection> Map(NetworkModel model, IReadOnlyCollection<string>? namespaces = null, IReadOnlyList<NetworkEndpoint>? externalEndpoints = null, CancellationToken cancellationToken = default)
    {
        var inScope = model.Classes.Where(c => !c.HostNetwork).ToList();
        bool Wanted(PodClass c) => namespaces is null || namespaces.Count == 0 || namespaces.Contains(c.Namespace);
        var pairs = new Dictionary<(ResourceRef, ResourceRef), PortSet>();
        var external = new Dictionary<(bool Egress, int ClassId, string Address), PortSet>();
        IReadOnlyList<NetworkEndpoint> outside = externalEndpoints ?? model.ExternalEndpoints();
        foreach (PodClass source in inScope)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NetworkEndpoint from = NetworkEndpoint.Of(source);
            for (int i = 0; i < inScope.Count; i++)
            {
                PodClass destination = inScope[i];
                if (!Wanted(source) && !Wanted(destination))
                {
                    continue;
                }

                PortSet allowed = model.AllowedPorts(from, NetworkEndpoint.Of(destination));
                if (allowed.IsEmpty)
                {
                    continue;
                }

                foreach (ResourceRef s in source.Workloads)
                {
                    foreach (ResourceRef d in destination.Workloads)
                    {
                        pairs[(s, d)] = pairs.TryGetValue((s, d), out PortSet? known) ? known.Union(allowed) : allowed;
                    }
                }
            }

            if (!Wanted(source))
            {
                continue;
            }

            for (int i = 0; i < outside.Count; i++)
            {
                NetworkEndpoint address = outside[i];
                Add(external, (true, source.Id, address.Label), model.AllowedPorts(from, address));
                Add(external, (false, source.Id, address.Label), model.AllowedPorts(address, from));
            }
        }

        var connections = pairs.Select(p => new NetworkConnection(p.Key.Item1.Kind, p.Key.Item1.Namespace, p.Key.Item1.Name, p.Key.Item2.Kind, p.Key.Item2.Namespace, p.Key.Item2.Name, p.Value.Describe())).ToList();
        foreach (var entry in external.Where(e => !e.Value.IsEmpty))
        {
            foreach (ResourceRef workload in model.Classes[entry.Key.ClassId].Workloads)
            {
                connections.Add(entry.Key.Egress
                    ? new NetworkConnection(workload.Kind, workload.Namespace, workload.Name, "External", null, entry.Key.Address, entry.Value.Describe())
                    : new NetworkConnection("External", null, entry.Key.Address, workload.Kind, workload.Namespace, workload.Name, entry.Value.Describe()));
            }
        }

        // Each connection says whether something not evaluated could change it (the union over its two ends).
        var notes = new Dictionary<ResourceRef, IReadOnlyList<string>>();
        foreach (PodClass podClass in inScope)
        {
            IReadOnlyList<string> classNotes = model.CompletenessNotes(podClass);
            foreach (ResourceRef workload in podClass.Workloads)
            {
                notes[workload] = notes.TryGetValue(workload, out var known) ? (known.Count == 0 ? classNotes : known.Union(classNotes, StringComparer.Ordinal).ToList()) : classNotes;
            }
        }

        IReadOnlyList<string> NotesOf(string kind, string? ns, string name) =>
            ns is not null && notes.TryGetValue(new ResourceRef(kind, ns, name), out var found) ? found : Array.Empty<string>();

        var result = connections.GroupBy(c => (c.SourceKind, c.SourceNamespace, c.Source, c.DestinationKind, c.DestinationNamespace, c.Destination))
            .Select(g => g.Count() == 1 ? g.First() : g.First() with { Ports = g.Aggregate(PortSet.None, (set, c) => set.Union(Parse(c.Ports))).Describe() })
            .Select(c =>
            {
                IReadOnlyList<string> from = NotesOf(c.SourceKind, c.SourceNamespace, c.Source);
                IReadOnlyList<string> to = NotesOf(c.DestinationKind, c.DestinationNamespace, c.Destination);
                return from.Count == 0 && to.Count == 0 ? c
                    : c with { Completeness = NetworkCompleteness.Partial, CompletenessNotes = from.Count == 0 ? to : to.Count == 0 ? from : from.Union(to, StringComparer.Ordinal).ToList() };
            })
            .ToList();

        // Host-network workloads are listed, not dropped: NetworkPolicy does not govern them, so any peer ("*") on any port.
        foreach (ResourceRef workload in model.Classes.Where(c => c.HostNetwork && Wanted(c)).SelectMany(c => c.Workloads).Distinct())
        {
            var outOfScope = new[] { ConnectivityVerdict.OutOfScopeReason };
            result.Add(new NetworkConnection(workload.Kind, workload.Namespace, workload.Name, AnyPeer, null, "*", new[] { "any" }) { Completeness = NetworkCompleteness.OutOfScope, CompletenessNotes = outOfScope });
            result.Add(new NetworkConnection(AnyPeer, null, "*", workload.Kind, workload.Namespace, workload.Name, new[] { "any" }) { Completeness = NetworkCompleteness.OutOfScope, CompletenessNotes = outOfScope });
        }

        return result.OrderBy(c => c.SourceName, StringComparer.Ordinal).ThenBy(c => c.DestinationName, StringComparer.Ordinal).ToList();
    }

    /// <summary>The kind of the "*" peer of a host-network workload's rows in the map.</summary>
    public const string AnyPeer = "Any";

    /// <summary>The connections NetworkPolicy decides (host-network rows left out): what graphs, CSV and diffs use.</summary>
    public static IEnumerable<NetworkConnection> InScope(IEnumerable<NetworkConnection> map) => map.Where(c => c.Completeness != NetworkCompleteness.OutOfScope);

    private static void Add(Dictionary<(bool, int, string), PortSet> map, (bool, int, string) key, PortSet ports)
    {
        if (!ports.IsEmpty)
        {
            map[key] = map.TryGetValue(key, out PortSet? known) ? known.Union(ports) : ports;
        }
    }

    private static PortSet Parse(IReadOnlyList<string> ports) => PortSet.TryParse(ports, out PortSet set) ? set : PortSet.None;

    /// <summary>The map as a Graphviz DOT graph.</summary>
    public static string ToDot(IEnumerable<NetworkConnection> connections)
    {
        var text = new StringBuilder("digraph connectivity {\n  rankdir=LR;\n  node [shape=box];\n");
        foreach (NetworkConnection c in connections)
        {
            text.Append(CultureInfo($"  \"{Escape(c.SourceName)}\" -> \"{Escape(c.DestinationName)}\" [label=\"{Escape(string.Join(",", c.Ports))}\"];\n"));
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>The map as a Mermaid flowchart.</summary>
    public static string ToMermaid(IEnumerable<NetworkConnection> connections)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Id(string name)
        {
            if (!ids.TryGetValue(name, out string? id))
            {
                ids[name] = id = "n" + ids.Count;
            }

            return id;
        }

        var text = new StringBuilder("flowchart LR\n");
        foreach (NetworkConnection c in connections)
        {
            text.Append(CultureInfo($"  {Id(c.SourceName)}[\"{MermaidText(c.SourceName)}\"] -->|\"{MermaidText(string.Join(",", c.Ports))}\"| {Id(c.DestinationName)}[\"{MermaidText(c.DestinationName)}\"]\n"));
        }

        return text.ToString();
    }

    /// <summary>The map as CSV with a header: the columns -FromObserved reads back.</summary>
    public static string ToCsv(IEnumerable<NetworkConnection> connections)
    {
        var text = new StringBuilder("SourceKind,SourceNamespace,Source,DestinationKind,DestinationNamespace,Destination,Ports\n");
        foreach (NetworkConnection c in connections)
        {
            text.Append(string.Join(",", new[] { c.SourceKind, c.SourceNamespace ?? string.Empty, c.Source, c.DestinationKind, c.DestinationNamespace ?? string.Empty, c.Destination, string.Join(" ", c.Ports) }.Select(Csv))).Append('\n');
        }

        return text.ToString();
    }

    private static string CultureInfo(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string MermaidText(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);

    private static readonly System.Buffers.SearchValues<char> CsvSpecial = System.Buffers.SearchValues.Create(",\"\n");

    private static string Csv(string value) => value.AsSpan().IndexOfAny(CsvSpecial) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
