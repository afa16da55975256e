using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>What-if: the connections a changed set of policies would newly block or newly allow, per workload pair and port.</summary>
public static class ConnectivityDiff
{
    public static List<NetworkConnectivityChange> Compare(NetworkModel current, NetworkModel proposed, IReadOnlyCollection<string>? namespaces = null, CancellationToken cancellationToken = default)
    {
        // Both maps use the same outside addresses, so a new ipBlock is compared like for like.
        List<NetworkEndpoint> outside = current.ExternalEndpoints().Concat(proposed.ExternalEndpoints())
            .GroupBy(e => e.Label, StringComparer.Ordinal).Select(g => g.First()).ToList();
        Dictionary<string, (NetworkConnection Connection, PortSet Ports)> before = Index(ConnectivityMapper.Map(current, namespaces, outside, cancellationToken));
        Dictionary<string, (NetworkConnection Connection, PortSet Ports)> after = Index(ConnectivityMapper.Map(proposed, namespaces, outside, cancellationToken));
        var changes = new List<NetworkConnectivityChange>();
        foreach (string key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            PortSet was = before.TryGetValue(key, out var b) ? b.Ports : PortSet.None;
            PortSet now = after.TryGetValue(key, out var a) ? a.Ports : PortSet.None;
            NetworkConnection template = (before.ContainsKey(key) ? b : a).Connection;
            PortSet blocked = was.Except(now);
            PortSet allowed = now.Except(was);
            if (!blocked.IsEmpty)
            {
                changes.Add(new NetworkConnectivityChange("NewlyBlocked", template with { Ports = blocked.Describe() }));
            }

            if (!allowed.IsEmpty)
            {
                changes.Add(new NetworkConnectivityChange("NewlyAllowed", template with { Ports = allowed.Describe() }));
            }
        }

        return changes;
    }

    private static Dictionary<string, (NetworkConnection, PortSet)> Index(List<NetworkConnection> map) =>
        ConnectivityMapper.InScope(map).ToDictionary(c => $"{c.SourceKind}/{c.SourceName}->{c.DestinationKind}/{c.DestinationName}",
            c => (c, PortSet.TryParse(c.Ports, out PortSet set) ? set : PortSet.None), StringComparer.Ordinal);
}
