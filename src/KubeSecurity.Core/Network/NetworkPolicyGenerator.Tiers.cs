using System.Text.Json.Nodes;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>
/// The same generation for the cluster-wide and Cilium flavors: AdminNetworkPolicy (allows at
/// priorities from 100, the default deny and isolation at 1000, so allows come first),
/// BaselineAdminNetworkPolicy (the singleton "default": the cluster's default where no
/// NetworkPolicy isolates) and CiliumNetworkPolicy.
/// </summary>
public static partial class NetworkPolicyGenerator
{
    public const string Cilium = "Cilium";
    public const string AdminNetworkPolicy = "AdminNetworkPolicy";
    public const string BaselineAdminNetworkPolicy = "BaselineAdminNetworkPolicy";
    private const string AdminApiVersion = "policy.networking.k8s.io/v1alpha1";
    private const int FirstAllowPriority = 100;
    private const int DefaultDenyPriority = 1000;

    private static JsonObject NamespaceNamed(string ns) => MatchLabels(new() { [NameLabel] = ns });

    private static JsonObject ClusterScoped(string kind, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = AdminApiVersion,
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "KubeSecurity" } },
        ["spec"] = spec,
    };

    private static JsonObject CiliumPolicy(string ns, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "cilium.io/v2",
        ["kind"] = "CiliumNetworkPolicy",
        ["metadata"] = Metadata(ns, name),
        ["spec"] = spec,
    };

    private static JsonObject DnsPods() => new()
    {
        ["namespaceSelector"] = NamespaceNamed("kube-system"),
        ["podSelector"] = MatchLabels(new() { ["k8s-app"] = "kube-dns" }),
    };

    private static JsonArray AdminDnsPorts() => new(
        new JsonObject { ["portNumber"] = new JsonObject { ["protocol"] = "UDP", ["port"] = 53 } },
        new JsonObject { ["portNumber"] = new JsonObject { ["protocol"] = "TCP", ["port"] = 53 } });

    /// <summary>Deny rules for every peer an admin policy can name: pods of every namespace and, on egress, every address.</summary>
    private static JsonArray AdminDenyAll(bool ingress, bool allowDns)
    {
        var rules = new JsonArray();
        if (!ingress && allowDns)
        {
            rules.Add(new JsonObject { ["name"] = "allow-dns", ["action"] = "Allow", ["to"] = new JsonArray(new JsonObject { ["pods"] = DnsPods() }), ["ports"] = AdminDnsPorts() });
        }

        rules.Add(new JsonObject { ["name"] = "deny-pods", ["action"] = "Deny", [ingress ? "from" : "to"] = new JsonArray(new JsonObject { ["namespaces"] = new JsonObject() }) });
        if (!ingress)
        {
            rules.Add(new JsonObject { ["name"] = "deny-networks", ["action"] = "Deny", ["to"] = new JsonArray(new JsonObject { ["networks"] = new JsonArray("0.0.0.0/0", "::/0") }) });
        }

        return rules;
    }

    // AdminNetworkPolicy ingress peers are namespaces and pods only: outside sources stay with NetworkPolicy (or the baseline's absence of one).
    private static KubeObject AdminDefaultDeny(string ns, string name, bool ingress, bool egress, bool allowDns)
    {
        var spec = new JsonObject { ["priority"] = DefaultDenyPriority, ["subject"] = new JsonObject { ["namespaces"] = NamespaceNamed(ns) } };
        if (ingress)
        {
            spec["ingress"] = AdminDenyAll(true, allowDns);
        }

        if (egress)
        {
            spec["egress"] = AdminDenyAll(false, allowDns);
        }

        return Create(ClusterScoped(AdminNetworkPolicy, $"{name}-{ns}", spec));
    }

    /// <summary>The baseline for several namespaces at once: one object, since the API allows only "default".</summary>
    public static KubeObject BaselineDefaultDeny(IReadOnlyCollection<string> namespaces, bool ingress, bool egress, bool allowDns)
    {
        var subject = new JsonObject
        {
            ["namespaces"] = new JsonObject
            {
                ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = NameLabel, ["operator"] = "In", ["values"] = new JsonArray(namespaces.Order(StringComparer.Ordinal).Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()) }),
            },
        };
        var spec = new JsonObject { ["subject"] = subject };
        if (ingress)
        {
            spec["ingress"] = AdminDenyAll(true, allowDns);
        }

        if (egress)
        {
            spec["egress"] = AdminDenyAll(false, allowDns);
        }

        return Create(ClusterScoped(BaselineAdminNetworkPolicy, "default", spec));
    }

    // Same namespace passes to NetworkPolicy (which may restrict it further); every other namespace is denied.
    private static KubeObject AdminNamespaceIsolation(string ns) => Create(ClusterScoped(AdminNetworkPolicy, $"namespace-isolation-{ns}", new JsonObject
    {
        ["priority"] = DefaultDenyPriority,
        ["subject"] = new JsonObject { ["namespaces"] = NamespaceNamed(ns) },
        ["ingress"] = new JsonArray(
            new JsonObject { ["name"] = "same-namespace", ["action"] = "Pass", ["from"] = new JsonArray(new JsonObject { ["namespaces"] = NamespaceNamed(ns) }) },
            new JsonObject { ["name"] = "other-namespaces", ["action"] = "Deny", ["from"] = new JsonArray(new JsonObject { ["namespaces"] = new JsonObject() }) }),
    }));

    private static KubeObject BaselineNamespaceIsolation(string ns) => Create(ClusterScoped(BaselineAdminNetworkPolicy, "default", new JsonObject
    {
        ["subject"] = new JsonObject { ["namespaces"] = NamespaceNamed(ns) },
        ["ingress"] = new JsonArray(
            new JsonObject { ["name"] = "same-namespace", ["action"] = "Allow", ["from"] = new JsonArray(new JsonObject { ["namespaces"] = NamespaceNamed(ns) }) },
            new JsonObject { ["name"] = "other-namespaces", ["action"] = "Deny", ["from"] = new JsonArray(new JsonObject { ["namespaces"] = new JsonObject() }) }),
    }));

    private static KubeObject AdminAllow(string ns, string name, int priority, IReadOnlyDictionary<string, string> labels, bool ingress, List<(JsonObject Peer, string Text, PortSet Ports)> peers, List<string> warnings)
    {
        var rules = new JsonArray();
        foreach ((JsonObject peer, string text, PortSet ports) in peers)
        {
            JsonObject adminPeer;
            if (peer["ipBlock"] is JsonObject block)
            {
                if (ingress)
                {
                    warnings.Add($"{ns}/{name}: connections from {text} cannot be allowed by an AdminNetworkPolicy (its ingress peers are pods and namespaces only); allow them with a NetworkPolicy.");
                    continue;
                }

                string cidr = block["cidr"]!.GetValue<string>();
                adminPeer = new JsonObject { ["networks"] = new JsonArray(cidr) };
                if (System.Net.IPNetwork.TryParse(cidr, out System.Net.IPNetwork network) && network.PrefixLength <= 8)
                {
                    // Unlike an ipBlock, an AdminNetworkPolicy networks peer selects pod addresses too.
                    warnings.Add($"{ns}/{name}: the networks peer {cidr} also selects pods by their addresses, so it allows more than the observed connections to {text}; narrow it, or allow that flow with a NetworkPolicy.");
                }
            }
            else
            {
                adminPeer = new JsonObject { ["pods"] = new JsonObject { ["namespaceSelector"] = peer["namespaceSelector"]!.DeepClone(), ["podSelector"] = peer["podSelector"]!.DeepClone() } };
            }

            var rule = new JsonObject { ["name"] = RuleName(text), ["action"] = "Allow", [ingress ? "from" : "to"] = new JsonArray(adminPeer) };
            if (!ports.IsAll)
            {
                rule["ports"] = AdminPorts(ports);
            }

            rules.Add(rule);
        }

        return Create(ClusterScoped(AdminNetworkPolicy, $"{name}-{ns}", new JsonObject
        {
            ["priority"] = Math.Min(priority, DefaultDenyPriority),
            ["subject"] = new JsonObject { ["pods"] = new JsonObject { ["namespaceSelector"] = NamespaceNamed(ns), ["podSelector"] = MatchLabels(labels.ToDictionary(l => l.Key, l => l.Value)) } },
            [ingress ? "ingress" : "egress"] = rules,
        }));
    }

    // Rule names are at most 100 characters.
    private static string RuleName(string peer)
    {
        string name = "allow-" + new string(peer.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
        return name.Length <= 100 ? name : name[..100];
    }

    private static JsonArray AdminPorts(PortSet ports)
    {
        var entries = new JsonArray();
        foreach ((string protocol, int low, int high) in Ranges(ports))
        {
            entries.Add(low == high
                ? new JsonObject { ["portNumber"] = new JsonObject { ["protocol"] = protocol, ["port"] = low } }
                : new JsonObject { ["portRange"] = new JsonObject { ["protocol"] = protocol, ["start"] = low, ["end"] = high } });
        }

        return entries;
    }

    private static IEnumerable<(string Protocol, int Low, int High)> Ranges(PortSet ports)
    {
        foreach (string part in ports.Describe())
        {
            string[] split = part.Split('/');
            if (split[1] == "any")
            {
                yield return (split[0], 1, PortSet.MaxPort);
                continue;
            }

            string[] range = split[1].Split('-');
            int low = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
            yield return (split[0], low, range.Length == 2 ? int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture) : low);
        }
    }

    private static KubeObject CiliumDefaultDeny(string ns, string name, bool ingress, bool egress, bool allowDns)
    {
        // An empty rule selects no peer: with it the endpoints are default-deny for that direction.
        var spec = new JsonObject { ["endpointSelector"] = new JsonObject() };
        if (ingress)
        {
            spec["ingress"] = new JsonArray(new JsonObject());
        }

        if (egress)
        {
            spec["egress"] = allowDns
                ? new JsonArray(new JsonObject
                {
                    ["toEndpoints"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { ["k8s:io.kubernetes.pod.namespace"] = "kube-system", ["k8s:k8s-app"] = "kube-dns" } }),
                    ["toPorts"] = new JsonArray(new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = "53", ["protocol"] = "UDP" }, new JsonObject { ["port"] = "53", ["protocol"] = "TCP" }) }),
                })
                : new JsonArray(new JsonObject());
        }

        return Create(CiliumPolicy(ns, name, spec));
    }

    private static KubeObject CiliumNamespaceIsolation(string ns) => Create(CiliumPolicy(ns, "namespace-isolation", new JsonObject
    {
        ["endpointSelector"] = new JsonObject(),
        ["ingress"] = new JsonArray(new JsonObject { ["fromEndpoints"] = new JsonArray(new JsonObject()) }),
    }));

    private static KubeObject CiliumAllow(string ns, string name, IReadOnlyDictionary<string, string> labels, bool ingress, List<(JsonObject Peer, string Text, PortSet Ports)> peers)
    {
        var rules = new JsonArray();
        foreach ((JsonObject peer, _, PortSet ports) in peers)
        {
            var rule = new JsonObject();
            if (peer["ipBlock"] is JsonObject block)
            {
                rule[ingress ? "fromCIDRSet" : "toCIDRSet"] = new JsonArray(new JsonObject { ["cidr"] = block["cidr"]!.GetValue<string>() });
            }
            else
            {
                var match = new JsonObject { ["k8s:io.kubernetes.pod.namespace"] = peer["namespaceSelector"]!["matchLabels"]![NameLabel]!.GetValue<string>() };
                foreach (var label in (JsonObject)peer["podSelector"]!["matchLabels"]!)
                {
                    match["k8s:" + label.Key] = label.Value!.DeepClone();
                }

                rule[ingress ? "fromEndpoints" : "toEndpoints"] = new JsonArray(new JsonObject { ["matchLabels"] = match });
            }

            if (!ports.IsAll)
            {
                var list = new JsonArray();
                foreach ((string protocol, int low, int high) in Ranges(ports))
                {
                    var entry = new JsonObject { ["port"] = low == 1 && high == PortSet.MaxPort ? "0" : low.ToString(System.Globalization.CultureInfo.InvariantCulture), ["protocol"] = protocol };
                    if (high != low && !(low == 1 && high == PortSet.MaxPort))
                    {
                        entry["endPort"] = high;
                    }

                    list.Add(entry);
                }

                rule["toPorts"] = new JsonArray(new JsonObject { ["ports"] = list });
            }

            rules.Add(rule);
        }

        return Create(CiliumPolicy(ns, name, new JsonObject
        {
            ["endpointSelector"] = new JsonObject { ["matchLabels"] = new JsonObject(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => KeyValuePair.Create("k8s:" + l.Key, (JsonNode?)JsonValue.Create(l.Value)))) },
            [ingress ? "ingress" : "egress"] = rules,
        }));
    }
}
