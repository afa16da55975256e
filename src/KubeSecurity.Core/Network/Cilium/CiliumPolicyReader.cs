using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Selectors;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network.Cilium;

/// <summary>
/// Reads CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2) at L3/L4: the
/// endpointSelector (spec or each of specs), ingress/egress and ingressDeny/egressDeny rules with
/// fromEndpoints/toEndpoints, fromCIDR/toCIDR, fromCIDRSet/toCIDRSet (with except),
/// fromEntities/toEntities (world, cluster, all; the others name nodes or the API server) and
/// toPorts (port, endPort, protocol TCP/UDP/SCTP/ANY, named ports), and enableDefaultDeny. What it
/// does not evaluate (L7 rules, toFQDNs, toServices, toGroups, from/toRequires, from/toNodes,
/// ICMP, labels of other sources) is listed on the model, so answers for the selected pods are
/// partial; a policy with an endpointSelector the model cannot read, or only a nodeSelector (host
/// policies, which govern nodes rather than pods), is not modelled (null with a reason).
/// </summary>
internal static class CiliumPolicyReader
{
    public const string Group = "cilium.io";

    public static bool IsCiliumPolicy(KubeObject item) => item.ApiGroup == Group && item.Kind is "CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy";

    private sealed class UnmodelledException(string message) : Exception(message);

    /// <summary>The policy's specs as models; empty with a reason when it cannot be evaluated.</summary>
    public static List<CiliumPolicyModel> Read(KubeObject policy, out string? reason)
    {
        reason = null;
        var models = new List<CiliumPolicyModel>();
        try
        {
            var specs = new List<JsonElement>();
            if (policy.Json.TryGet("spec"u8, out JsonElement spec) && spec.ValueKind == JsonValueKind.Object)
            {
                specs.Add(spec);
            }

            if (policy.Json.TryGet("specs"u8, out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                specs.AddRange(list.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object));
            }

            if (specs.Count == 0)
            {
                throw new UnmodelledException("it has neither spec nor specs");
            }

            bool clusterwide = policy.Kind == "CiliumClusterwideNetworkPolicy";
            int index = 0;
            foreach (JsonElement one in specs)
            {
                if (ReadSpec(policy, one, index++, clusterwide) is CiliumPolicyModel model)
                {
                    models.Add(model);
                }
            }

            return models;
        }
        catch (UnmodelledException ex)
        {
            reason = ex.Message;
            return new List<CiliumPolicyModel>();
        }
    }

    private static CiliumPolicyModel? ReadSpec(KubeObject policy, JsonElement spec, int index, bool clusterwide)
    {
        if (!spec.TryGet("endpointSelector"u8, out JsonElement selectorJson) || selectorJson.ValueKind != JsonValueKind.Object)
        {
            if (spec.TryGet("nodeSelector"u8, out _))
            {
                return null; // a host policy: it governs nodes, which NetworkPolicy answers leave out of scope
            }

            throw new UnmodelledException($"spec {index} has no endpointSelector");
        }

        var unevaluated = new List<string>();
        LabelSelector selector = Selector(selectorJson, $"spec {index} endpointSelector", unevaluated)
            ?? throw new UnmodelledException($"spec {index} endpointSelector uses labels the model does not see ({string.Join("; ", unevaluated)})");

        bool hasIngress = HasRules(spec, "ingress") || HasRules(spec, "ingressDeny");
        bool hasEgress = HasRules(spec, "egress") || HasRules(spec, "egressDeny");
        bool denyIngress = hasIngress, denyEgress = hasEgress;
        if (spec.TryGet("enableDefaultDeny"u8, out JsonElement defaults) && defaults.ValueKind == JsonValueKind.Object)
        {
            denyIngress = defaults.TryGet("ingress"u8, out JsonElement i) && i.ValueKind is JsonValueKind.True or JsonValueKind.False ? i.GetBoolean() && hasIngress : denyIngress;
            denyEgress = defaults.TryGet("egress"u8, out JsonElement e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() && hasEgress : denyEgress;
        }

        var ingress = Rules(spec, "ingress", deny: false, isIngress: true, clusterwide, unevaluated).Concat(Rules(spec, "ingressDeny", deny: true, isIngress: true, clusterwide, unevaluated)).ToList();
        var egress = Rules(spec, "egress", deny: false, isIngress: false, clusterwide, unevaluated).Concat(Rules(spec, "egressDeny", deny: true, isIngress: false, clusterwide, unevaluated)).ToList();
        return new CiliumPolicyModel(policy, index, selector, denyIngress, denyEgress, ingress, egress, hasIngress, hasEgress, unevaluated.Distinct(StringComparer.Ordinal).ToList());
    }

    private static bool HasRules(JsonElement spec, string field) =>
        spec.TryGet(field, out JsonElement rules) && rules.ValueKind == JsonValueKind.Array && rules.Count() > 0;

    private static readonly string[] IngressPeers = { "fromEndpoints", "fromCIDR", "fromCIDRSet", "fromEntities" };
    private static readonly string[] EgressPeers = { "toEndpoints", "toCIDR", "toCIDRSet", "toEntities" };
    private static readonly string[] IngressUnevaluated = { "fromRequires", "fromGroups", "fromNodes", "icmps" };
    private static readonly string[] EgressUnevaluated = { "toRequires", "toGroups", "toNodes", "toServices", "toFQDNs", "icmps" };

    private static List<CiliumRule> Rules(JsonElement spec, string section, bool deny, bool isIngress, bool clusterwide, List<string> unevaluated)
    {
        var rules = new List<CiliumRule>();
        if (!spec.TryGet(section, out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            return rules;
        }

        int index = 0;
        foreach (JsonElement rule in list.EnumerateArray())
        {
            string where = $"{section}[{index}]";
            if (rule.ValueKind != JsonValueKind.Object)
            {
                throw new UnmodelledException($"{where} is not a rule object");
            }

            foreach (string field in isIngress ? IngressUnevaluated : EgressUnevaluated)
            {
                if (rule.TryGet(field, out JsonElement value) && value.ValueKind != JsonValueKind.Null)
                {
                    unevaluated.Add($"{where}.{field} is not evaluated");
                }
            }

            List<CiliumPeer>? peers = null;
            bool anyL3 = false;
            foreach (string field in isIngress ? IngressPeers : EgressPeers)
            {
                if (!rule.TryGet(field, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                anyL3 = true;
                peers ??= new List<CiliumPeer>();
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (Peer(field, item, $"{where}.{field}", clusterwide, unevaluated) is CiliumPeer peer)
                    {
                        peers.Add(peer);
                    }
                }
            }

            bool hasPorts = rule.TryGet("toPorts"u8, out JsonElement toPorts) && toPorts.ValueKind == JsonValueKind.Array && toPorts.Count() > 0;
            bool hasOther = (isIngress ? IngressUnevaluated : EgressUnevaluated).Any(f => rule.TryGet(f, out JsonElement v) && v.ValueKind != JsonValueKind.Null);
            List<PolicyPort>? ports = hasPorts ? Ports(toPorts, where, deny, unevaluated) : null;

            // An L4-only rule applies to every peer; an empty rule ({}) selects no peer and only makes the endpoint default-deny.
            if (!anyL3 && !hasPorts && !hasOther)
            {
                peers = new List<CiliumPeer>();
            }
            else if (!anyL3 && hasOther)
            {
                peers = new List<CiliumPeer>(); // its peers are what the model does not evaluate
            }

            rules.Add(new CiliumRule(index++, deny, peers, ports));
        }

        return rules;
    }

    private static CiliumPeer? Peer(string field, JsonElement item, string where, bool clusterwide, List<string> unevaluated)
    {
        switch (field)
        {
            case "fromEndpoints" or "toEndpoints":
                LabelSelector? selector = Selector(item, where, unevaluated);
                if (selector is null)
                {
                    return null;
                }

                bool namesNamespace = selector.Keys.Any(k => k == CiliumLabels.PodNamespace);
                return new CiliumPeer(selector, SameNamespaceOnly: !clusterwide && !namesNamespace, null, null);
            case "fromCIDR" or "toCIDR":
                string cidr = item.ValueKind == JsonValueKind.String ? item.AsString()! : throw new UnmodelledException($"{where} must list CIDR strings");
                return new CiliumPeer(null, false, new IpBlock(Cidr(cidr, where), Array.Empty<System.Net.IPNetwork>()), null);
            case "fromCIDRSet" or "toCIDRSet":
                if (JsonRead.String(item, "cidr") is not string block)
                {
                    unevaluated.Add($"{where} without a cidr (a cidrGroupRef or selector) is not evaluated");
                    return null;
                }

                var network = Cidr(block, where);
                var except = JsonRead.Strings(item, "except").Select(e => Cidr(e, where + ".except")).ToList();
                return new CiliumPeer(null, false, new IpBlock(network, except), null);
            default:
                string entity = item.ValueKind == JsonValueKind.String ? item.AsString()! : throw new UnmodelledException($"{where} must list entity names");
                if (entity == "kube-apiserver")
                {
                    unevaluated.Add($"{where} kube-apiserver is not evaluated (the API server's addresses are not known here)");
                }

                return new CiliumPeer(null, false, null, entity);
        }
    }

    private static System.Net.IPNetwork Cidr(string text, string where)
    {
        string withPrefix = text.Contains('/', StringComparison.Ordinal) ? text : text + (text.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
        try
        {
            return NetworkPolicyReader.Cidr(withPrefix, where);
        }
        catch (NetworkPolicyReader.InvalidPolicyException ex)
        {
            throw new UnmodelledException(ex.Message);
        }
    }

    private static List<PolicyPort> Ports(JsonElement toPorts, string where, bool deny, List<string> unevaluated)
    {
        var ports = new List<PolicyPort>();
        int index = 0;
        foreach (JsonElement entry in toPorts.EnumerateArray())
        {
            string at = $"{where}.toPorts[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (string l7 in new[] { "rules", "serverNames", "terminatingTLS", "originatingTLS", "listener" })
            {
                if (entry.TryGet(l7, out JsonElement value) && value.ValueKind != JsonValueKind.Null)
                {
                    unevaluated.Add($"{at}.{l7} (L7) is not evaluated: the L4 ports are, what it refuses above them is not");
                }
            }

            if (!entry.TryGet("ports"u8, out JsonElement list) || list.ValueKind != JsonValueKind.Array || list.Count() == 0)
            {
                foreach (string protocol in PortSet.Protocols)
                {
                    ports.Add(new PolicyPort(protocol, null, null, null));
                }

                continue;
            }

            foreach (JsonElement port in list.EnumerateArray())
            {
                string protocol = (JsonRead.String(port, "protocol") ?? "ANY").ToUpperInvariant();
                string[] protocols = protocol == "ANY" ? PortSet.Protocols : PortSet.Protocols.Contains(protocol) ? new[] { protocol } : Array.Empty<string>();
                if (protocols.Length == 0)
                {
                    unevaluated.Add($"{at} protocol {protocol} is not evaluated");
                    continue;
                }

                string? text = JsonRead.String(port, "port") ?? (port.TryGet("port"u8, out JsonElement n) && n.ValueKind == JsonValueKind.Number ? n.GetRawText() : null);
                int? endPort = port.TryGet("endPort"u8, out JsonElement e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : null;
                foreach (string p in protocols)
                {
                    if (text is null || text == "0")
                    {
                        ports.Add(new PolicyPort(p, null, null, null));
                    }
                    else if (int.TryParse(text, out int number) && number is >= 1 and <= PortSet.MaxPort)
                    {
                        ports.Add(new PolicyPort(p, number, null, endPort is int end && end >= number ? Math.Min(end, PortSet.MaxPort) : null));
                    }
                    else if (!int.TryParse(text, out _))
                    {
                        ports.Add(new PolicyPort(p, null, text, null));
                    }
                    else
                    {
                        throw new UnmodelledException($"{at} port {text} is out of range");
                    }
                }
            }
        }

        return ports;
    }

    /// <summary>An endpoint selector with source prefixes removed (k8s:, any:); null when it names labels the model does not see.</summary>
    private static LabelSelector? Selector(JsonElement json, string where, List<string> unevaluated)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new UnmodelledException($"{where} is not a selector");
        }

        JsonNode node = JsonNode.Parse(json.GetRawText())!;
        var keys = new List<string>();
        if (node["matchLabels"] is JsonObject labels)
        {
            foreach (var entry in labels.ToList())
            {
                labels.Remove(entry.Key);
                string? key = CiliumLabels.StripSource(entry.Key);
                keys.Add(key ?? entry.Key);
                if (key is null)
                {
                    unevaluated.Add($"{where} label {entry.Key} (a source the model does not see) is not evaluated");
                    return null;
                }

                labels[key] = entry.Value?.DeepClone();
            }
        }

        if (node["matchExpressions"] is JsonArray expressions)
        {
            foreach (JsonNode? expression in expressions)
            {
                if (expression?["key"] is JsonValue value)
                {
                    string? key = CiliumLabels.StripSource(value.ToString());
                    if (key is null)
                    {
                        unevaluated.Add($"{where} label {value} (a source the model does not see) is not evaluated");
                        return null;
                    }

                    keys.Add(key);
                    expression["key"] = key;
                }
            }
        }

        if (keys.Any(k => k.StartsWith("io.cilium.k8s.policy.", StringComparison.Ordinal)))
        {
            unevaluated.Add($"{where} selects by service account or cluster (io.cilium.k8s.policy.*), which is not evaluated");
            return null;
        }

        LabelSelector selector = LabelSelector.Parse(JsonDocument.Parse(node.ToJsonString()).RootElement);
        return selector.Problem is null ? selector : throw new UnmodelledException($"{where}: {selector.Problem}");
    }
}
