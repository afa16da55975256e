using System.Net;
using KubeSecurity.Core.Selectors;

namespace KubeSecurity.Core.Network;

/// <summary>
/// Turns what people type into endpoints: <c>ns/pod</c>, <c>ns/workload</c>, <c>ns/Kind/name</c>,
/// <c>ns/key=value,key2=value2</c> (a label selector in a namespace), or an IP address (a pod's
/// address when the snapshot has it, else an address outside the cluster).
/// </summary>
public static class EndpointResolver
{
    public static List<NetworkEndpoint> Resolve(NetworkModel model, string text, out string? problem)
    {
        problem = null;
        text = text.Trim();
        if (IPAddress.TryParse(text, out IPAddress? address))
        {
            List<PodClass> owners = model.Classes.Where(c => c.Addresses.Contains(address)).ToList();
            return owners.Count > 0 ? owners.Select(NetworkEndpoint.Of).ToList() : new List<NetworkEndpoint> { NetworkEndpoint.External(address) };
        }

        string[] parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            problem = $"'{text}' is not an endpoint. Use NAMESPACE/NAME (pod or workload), NAMESPACE/KIND/NAME, NAMESPACE/LABEL=VALUE[,LABEL=VALUE] or an IP address.";
            return new List<NetworkEndpoint>();
        }

        string ns = parts[0];
        List<PodClass> matches;
        if (parts.Length == 2 && parts[1].Contains('=', StringComparison.Ordinal))
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in parts[1].Split(','))
            {
                string[] kv = pair.Split('=', 2);
                labels[kv[0].Trim()] = kv[1].Trim();
            }

            matches = model.Classes.Where(c => c.Namespace == ns && labels.All(l => c.Labels.TryGetValue(l.Key, out string? v) && v == l.Value)).ToList();
        }
        else
        {
            string? kind = parts.Length == 3 ? parts[1] : null;
            string name = parts[^1];
            matches = model.Classes.Where(c => c.Namespace == ns
                && (c.Workloads.Any(w => w.Name == name && (kind is null || string.Equals(w.Kind, kind, StringComparison.OrdinalIgnoreCase)))
                    || (kind is null or "Pod" or "pod") && c.Pods.Contains($"{ns}/{name}"))).ToList();
        }

        if (matches.Count == 0)
        {
            problem = $"No pod or workload matches '{text}' in the snapshot.";
        }

        return matches.Select(NetworkEndpoint.Of).ToList();
    }
}
