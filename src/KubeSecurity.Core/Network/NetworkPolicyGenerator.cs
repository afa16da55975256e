using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>
/// Writes NetworkPolicies (or Calico policies): namespace default-deny, namespace isolation, and
/// least-privilege allow policies for a set of observed connections. Generated objects are
/// labelled app.kubernetes.io/managed-by=KubeSecurity and pipe to Export-KubeManifest.
/// </summary>
public static partial class NetworkPolicyGenerator
{
    public const string Kubernetes = "Kubernetes";
    public const string Calico = "Calico";
    private const string NameLabel = "kubernetes.io/metadata.name";

    public static KubeObject DefaultDeny(string ns, bool ingress, bool egress, bool allowDns, string flavor = Kubernetes)
    {
        string name = ingress && egress ? "default-deny" : ingress ? "default-deny-ingress" : "default-deny-egress";
        switch (flavor)
        {
            case Cilium:
                return CiliumDefaultDeny(ns, name, ingress, egress, allowDns);
            case AdminNetworkPolicy:
                return AdminDefaultDeny(ns, name, ingress, egress, allowDns);
            case BaselineAdminNetworkPolicy:
                return BaselineDefaultDeny(new[] { ns }, ingress, egress, allowDns);
        }

        if (flavor == Calico)
        {
            var spec = new JsonObject { ["selector"] = "all()", ["types"] = Types(ingress, egress) };
            if (egress && allowDns)
            {
                spec["egress"] = new JsonArray(
                    CalicoDnsRule("UDP"),
                    CalicoDnsRule("TCP"));
            }

            return Create(CalicoPolicy(ns, name, spec));
        }

        var k8sSpec = new JsonObject { ["podSelector"] = new JsonObject(), ["policyTypes"] = Types(ingress, egress) };
        if (egress && allowDns)
        {
            k8sSpec["egress"] = new JsonArray(new JsonObject
            {
                ["to"] = new JsonArray(new JsonObject
                {
                    ["namespaceSelector"] = MatchLabels(new() { [NameLabel] = "kube-system" }),
                    ["podSelector"] = MatchLabels(new() { ["k8s-app"] = "kube-dns" }),
                }),
                ["ports"] = new JsonArray(new JsonObject { ["protocol"] = "UDP", ["port"] = 53 }, new JsonObject { ["protocol"] = "TCP", ["port"] = 53 }),
            });
        }

        return Create(Policy(ns, name, k8sSpec));
    }

    /// <summary>Allow ingress only from pods of the same namespace: the multi-tenant baseline.</summary>
    public static KubeObject NamespaceIsolation(string ns, string flavor = Kubernetes)
    {
        switch (flavor)
        {
            case Cilium:
                return CiliumNamespaceIsolation(ns);
            case AdminNetworkPolicy:
                return AdminNamespaceIsolation(ns);
            case BaselineAdminNetworkPolicy:
                return BaselineNamespaceIsolation(ns);
        }

        if (flavor == Calico)
        {
            return Create(CalicoPolicy(ns, "namespace-isolation", new JsonObject
            {
                ["selector"] = "all()",
                ["types"] = new JsonArray("Ingress"),
                ["ingress"] = new JsonArray(new JsonObject { ["action"] = "Allow", ["source"] = new JsonObject { ["namespaceSelector"] = $"{NameLabel} == '{ns}'" } }),
            }));
        }

        return Create(Policy(ns, "namespace-isolation", new JsonObject
        {
            ["podSelector"] = new JsonObject(),
            ["policyTypes"] = new JsonArray("Ingress"),
            ["ingress"] = new JsonArray(new JsonObject { ["from"] = new JsonArray(new JsonObject { ["podSelector"] = new JsonObject() }) }),
        }));
    }

    /// <summary>
    /// Least-privilege policies that allow exactly the observed connections: for every destination
    /// workload an ingress policy listing its sources and ports, for every source workload an egress
    /// policy listing its destinations and ports. Pods are selected by all labels of their template,
    /// peers by those labels and their namespace's name. Warnings say where a selector also matches
    /// other workloads' pods (then more than the observed connections would be allowed).
    /// </summary>
    public static List<KubeObject> FromObserved(NetworkModel model, IEnumerable<ObservedFlow> flows, string flavor, List<string> warnings)
    {
        var ingressByDestination = new Dictionary<(string Ns, string Name), List<(JsonObject Peer, string PeerText, PortSet Ports)>>();
        var egressBySource = new Dictionary<(string Ns, string Name), List<(JsonObject Peer, string PeerText, PortSet Ports)>>();
        var selectors = new Dictionary<(string Ns, string Name), IReadOnlyDictionary<string, string>>();
        foreach (ObservedFlow flow in flows)
        {
            Endpoint? source = Resolve(model, flow.SourceKind, flow.SourceNamespace, flow.Source, warnings, flow);
            Endpoint? destination = Resolve(model, flow.DestinationKind, flow.DestinationNamespace, flow.Destination, warnings, flow);
            if (source is null || destination is null)
            {
                continue;
            }

            if (destination.Labels is not null)
            {
                selectors[(destination.Namespace!, destination.Name)] = destination.Labels;
                Add(ingressByDestination, (destination.Namespace!, destination.Name), source, flow.Ports);
            }

            if (source.Labels is not null)
            {
                selectors[(source.Namespace!, source.Name)] = source.Labels;
                Add(egressBySource, (source.Namespace!, source.Name), destination, flow.Ports);
            }
        }

        foreach (var selector in selectors)
        {
            List<ResourceRef> others = model.Classes.Where(c => c.Namespace == selector.Key.Ns && selector.Value.All(l => c.Labels.TryGetValue(l.Key, out string? v) && v == l.Value))
                .SelectMany(c => c.Workloads).Where(w => w.Name != selector.Key.Name).Distinct().ToList();
            if (others.Count > 0)
            {
                warnings.Add($"The labels of {selector.Key.Ns}/{selector.Key.Name} also select {string.Join(", ", others)}: the generated policies apply to them too.");
            }
        }

        // The baseline is where no NetworkPolicy isolates: the allows that go with it are NetworkPolicies.
        if (flavor == BaselineAdminNetworkPolicy)
        {
            warnings.Add("A BaselineAdminNetworkPolicy is the cluster default where no NetworkPolicy isolates a pod: the observed flows are written as NetworkPolicies, which take precedence over it.");
            flavor = Kubernetes;
        }

        var objects = new List<KubeObject>();
        int priority = FirstAllowPriority;
        foreach (var destination in ingressByDestination.OrderBy(d => d.Key.Ns, StringComparer.Ordinal).ThenBy(d => d.Key.Name, StringComparer.Ordinal))
        {
            objects.Add(flavor switch
            {
                Cilium => CiliumAllow(destination.Key.Ns, $"allow-ingress-{destination.Key.Name}", selectors[destination.Key], true, destination.Value),
                AdminNetworkPolicy => AdminAllow(destination.Key.Ns, $"allow-ingress-{destination.Key.Name}", priority++, selectors[destination.Key], true, destination.Value, warnings),
                _ => AllowPolicy(destination.Key.Ns, $"allow-ingress-{destination.Key.Name}", selectors[destination.Key], true, destination.Value, flavor),
            });
        }

        foreach (var source in egressBySource.OrderBy(d => d.Key.Ns, StringComparer.Ordinal).ThenBy(d => d.Key.Name, StringComparer.Ordinal))
        {
            objects.Add(flavor switch
            {
                Cilium => CiliumAllow(source.Key.Ns, $"allow-egress-{source.Key.Name}", selectors[source.Key], false, source.Value),
                AdminNetworkPolicy => AdminAllow(source.Key.Ns, $"allow-egress-{source.Key.Name}", priority++, selectors[source.Key], false, source.Value, warnings),
                _ => AllowPolicy(source.Key.Ns, $"allow-egress-{source.Key.Name}", selectors[source.Key], false, source.Value, flavor),
            });
        }

        if (priority > DefaultDenyPriority)
        {
            warnings.Add($"{priority - FirstAllowPriority} AdminNetworkPolicies were generated but priorities {FirstAllowPriority}-{DefaultDenyPriority - 1} hold only {DefaultDenyPriority - FirstAllowPriority}: the later ones do not come before the default deny; write fewer, or use NetworkPolicy.");
        }

        return objects;
    }

    private sealed record Endpoint(string? Namespace, string Name, IReadOnlyDictionary<string, string>? Labels, string? Cidr);

    private static Endpoint? Resolve(NetworkModel model, string? kind, string? ns, string name, List<string> warnings, ObservedFlow flow)
    {
        if (string.Equals(kind, "External", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(name.Split('/')[0], out _) || name == "any other address")
        {
            string cidr = name == "any other address" ? "0.0.0.0/0" : name.Split(' ')[0];
            if (!cidr.Contains('/', StringComparison.Ordinal))
            {
                cidr += IPAddress.Parse(cidr).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "/128" : "/32";
            }

            return new Endpoint(null, cidr, null, cidr);
        }

        List<PodClass> classes = model.Classes.Where(c => c.Namespace == ns && c.Workloads.Any(w => w.Name == name && (kind is null || string.Equals(w.Kind, kind, StringComparison.OrdinalIgnoreCase)))).ToList();
        if (classes.Count == 0)
        {
            warnings.Add($"Flow {flow}: no workload {ns}/{name} in the snapshot; the flow is skipped.");
            return null;
        }

        // Labels shared by every pod group of the workload.
        IReadOnlyDictionary<string, string> labels = classes.Skip(1).Aggregate((IReadOnlyDictionary<string, string>)classes[0].Labels,
            (common, c) => common.Where(l => c.Labels.TryGetValue(l.Key, out string? v) && v == l.Value).ToDictionary(l => l.Key, l => l.Value));
        if (labels.Count == 0)
        {
            warnings.Add($"Flow {flow}: the pods of {ns}/{name} have no labels in common; the flow is skipped.");
            return null;
        }

        return new Endpoint(ns, name, labels, null);
    }

    private static void Add(Dictionary<(string, string), List<(JsonObject, string, PortSet)>> map, (string, string) key, Endpoint peer, PortSet ports)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new();
        }

        string text = peer.Cidr ?? $"{peer.Namespace}/{peer.Name}";
        int existing = list.FindIndex(e => e.Item2 == text);
        if (existing >= 0)
        {
            list[existing] = (list[existing].Item1, text, list[existing].Item3.Union(ports));
            return;
        }

        JsonObject node = peer.Cidr is not null
            ? new JsonObject { ["ipBlock"] = new JsonObject { ["cidr"] = peer.Cidr } }
            : new JsonObject { ["namespaceSelector"] = MatchLabels(new() { [NameLabel] = peer.Namespace! }), ["podSelector"] = MatchLabels(peer.Labels!.ToDictionary(l => l.Key, l => l.Value)) };
        list.Add((node, text, ports));
    }

    private static KubeObject AllowPolicy(string ns, string name, IReadOnlyDictionary<string, string> labels, bool ingress, List<(JsonObject Peer, string Text, PortSet Ports)> peers, string flavor)
    {
        string direction = ingress ? "Ingress" : "Egress";
        if (flavor == Calico)
        {
            var rules = new JsonArray();
            foreach ((JsonObject peer, _, PortSet ports) in peers)
            {
                foreach (JsonObject rule in CalicoRules(peer, ports, ingress))
                {
                    rules.Add(rule);
                }
            }

            return Create(CalicoPolicy(ns, name, new JsonObject
            {
                ["selector"] = CalicoSelector(labels),
                ["types"] = new JsonArray(direction),
                [ingress ? "ingress" : "egress"] = rules,
            }));
        }

        var k8sRules = new JsonArray();
        foreach ((JsonObject peer, _, PortSet ports) in peers)
        {
            var rule = new JsonObject { [ingress ? "from" : "to"] = new JsonArray(peer.DeepClone()) };
            if (!ports.IsAll)
            {
                rule["ports"] = PortEntries(ports);
            }

            k8sRules.Add(rule);
        }

        return Create(Policy(ns, name, new JsonObject
        {
            ["podSelector"] = MatchLabels(labels.ToDictionary(l => l.Key, l => l.Value)),
            ["policyTypes"] = new JsonArray(direction),
            [ingress ? "ingress" : "egress"] = k8sRules,
        }));
    }

    private static JsonArray PortEntries(PortSet ports)
    {
        var entries = new JsonArray();
        foreach (string part in ports.Describe())
        {
            string[] split = part.Split('/');
            var entry = new JsonObject { ["protocol"] = split[0] };
            if (split[1] != "any")
            {
                string[] range = split[1].Split('-');
                entry["port"] = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
                if (range.Length == 2)
                {
                    entry["endPort"] = int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            entries.Add(entry);
        }

        return entries;
    }

    private static IEnumerable<JsonObject> CalicoRules(JsonObject peer, PortSet ports, bool ingress)
    {
        JsonObject Selectors()
        {
            var entity = new JsonObject();
            if (peer["ipBlock"] is JsonObject block)
            {
                entity["nets"] = new JsonArray(block["cidr"]!.GetValue<string>());
            }
            else
            {
                entity["namespaceSelector"] = $"{NameLabel} == '{peer["namespaceSelector"]!["matchLabels"]![NameLabel]!.GetValue<string>()}'";
                entity["selector"] = CalicoSelector(((JsonObject)peer["podSelector"]!["matchLabels"]!).ToDictionary(l => l.Key, l => l.Value!.GetValue<string>()));
            }

            return entity;
        }

        if (ports.IsAll)
        {
            yield return new JsonObject { ["action"] = "Allow", [ingress ? "source" : "destination"] = Selectors() };
            yield break;
        }

        foreach (IGrouping<string, string> protocol in ports.Describe().GroupBy(p => p.Split('/')[0]))
        {
            var rule = new JsonObject { ["action"] = "Allow", ["protocol"] = protocol.Key, [ingress ? "source" : "destination"] = Selectors() };
            var numbers = new JsonArray();
            foreach (string part in protocol)
            {
                string value = part.Split('/')[1];
                if (value != "any")
                {
                    numbers.Add(value.Contains('-', StringComparison.Ordinal) ? JsonValue.Create(value.Replace('-', ':')) : JsonValue.Create(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
                }
            }

            if (numbers.Count > 0)
            {
                // Ports belong to the destination entity of a Calico rule.
                JsonObject target = ingress ? (JsonObject)(rule["destination"] ??= new JsonObject()) : (JsonObject)rule["destination"]!;
                target["ports"] = numbers;
            }

            yield return rule;
        }
    }

    private static JsonObject CalicoDnsRule(string protocol) => new()
    {
        ["action"] = "Allow",
        ["protocol"] = protocol,
        ["destination"] = new JsonObject
        {
            ["namespaceSelector"] = $"{NameLabel} == 'kube-system'",
            ["selector"] = "k8s-app == 'kube-dns'",
            ["ports"] = new JsonArray(53),
        },
    };

    private static string CalicoSelector(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "all()" : string.Join(" && ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} == '{l.Value}'"));

    private static JsonArray Types(bool ingress, bool egress)
    {
        var types = new JsonArray();
        if (ingress)
        {
            types.Add("Ingress");
        }

        if (egress)
        {
            types.Add("Egress");
        }

        return types;
    }

    internal static JsonObject MatchLabels(Dictionary<string, string> labels) =>
        new() { ["matchLabels"] = new JsonObject(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))) };

    internal static JsonObject Metadata(string ns, string name) => new()
    {
        ["name"] = name,
        ["namespace"] = ns,
        ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "KubeSecurity" },
    };

    private static JsonObject Policy(string ns, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "networking.k8s.io/v1",
        ["kind"] = "NetworkPolicy",
        ["metadata"] = Metadata(ns, name),
        ["spec"] = spec,
    };

    private static JsonObject CalicoPolicy(string ns, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "projectcalico.org/v3",
        ["kind"] = "NetworkPolicy",
        ["metadata"] = Metadata(ns, name),
        ["spec"] = spec,
    };

    internal static KubeObject Create(JsonObject node) => KubeObject.Create(JsonDocument.Parse(node.ToJsonString()).RootElement, "generated");
}
