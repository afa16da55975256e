using System.Net;
using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network.Calico;

/// <summary>
/// Reads the common subset of Calico projectcalico.org/v3 NetworkPolicy and GlobalNetworkPolicy:
/// selector, namespaceSelector, order, types, and rules with Allow/Deny/Log actions, TCP/UDP/SCTP,
/// selectors, namespace selectors, nets and ports. A policy using anything else (Pass, not*
/// matches, service accounts, services, HTTP, ICMP, other tiers, nets over pod addresses) is
/// returned as unmodeled with the reason, so answers are never silently wrong.
/// </summary>
internal static class CalicoPolicyReader
{
    private sealed class UnmodeledException(string message) : Exception(message);

    private static readonly HashSet<string> SpecFields = new(StringComparer.Ordinal) { "selector", "namespaceSelector", "order", "types", "ingress", "egress", "tier" };
    private static readonly HashSet<string> RuleFields = new(StringComparer.Ordinal) { "action", "protocol", "source", "destination", "metadata", "ipVersion" };
    private static readonly HashSet<string> EntityFields = new(StringComparer.Ordinal) { "selector", "namespaceSelector", "nets", "ports" };

    public static bool IsCalicoPolicy(KubeObject o) =>
        o.ApiGroup is "projectcalico.org" or "crd.projectcalico.org" && o.Kind is "NetworkPolicy" or "GlobalNetworkPolicy";

    public static CalicoPolicyModel? Read(KubeObject policy, IReadOnlyCollection<IPAddress> podAddresses, out string? unmodeled)
    {
        unmodeled = null;
        try
        {
            JsonElement spec = policy.Json.TryGet("spec"u8, out JsonElement s) && s.ValueKind == JsonValueKind.Object ? s : throw new UnmodeledException("it has no spec");
            foreach (JsonProperty field in spec.EnumerateObject().Where(f => !SpecFields.Contains(f.Name)))
            {
                throw new UnmodeledException($"spec.{field.Name} is not modeled");
            }

            if (JsonRead.String(spec, "tier") is string tier && tier != "default")
            {
                throw new UnmodeledException($"it is in tier '{tier}'; only the default tier is modeled");
            }

            CalicoSelector selector = Selector(JsonRead.String(spec, "selector")) ?? CalicoSelector.All;
            CalicoSelector? namespaceSelector = Selector(JsonRead.String(spec, "namespaceSelector"));
            if (namespaceSelector is not null && policy.Kind != "GlobalNetworkPolicy")
            {
                throw new UnmodeledException("spec.namespaceSelector is only valid on a GlobalNetworkPolicy");
            }

            double? order = spec.TryGet("order"u8, out JsonElement o) && o.ValueKind == JsonValueKind.Number ? o.GetDouble() : null;
            List<CalicoRule> ingress = Rules(spec, "ingress", true, podAddresses);
            List<CalicoRule> egress = Rules(spec, "egress", false, podAddresses);
            List<string> types = JsonRead.Strings(spec, "types");
            bool affectsIngress = types.Count == 0 ? true : types.Contains("Ingress");
            bool affectsEgress = types.Count == 0 ? egress.Count > 0 : types.Contains("Egress");
            return new CalicoPolicyModel(policy, order, selector, namespaceSelector, affectsIngress, affectsEgress, ingress, egress);
        }
        catch (UnmodeledException ex)
        {
            unmodeled = ex.Message;
            return null;
        }
        catch (FormatException ex)
        {
            unmodeled = ex.Message;
            return null;
        }
    }

    private static CalicoSelector? Selector(string? text) => text is null ? null : CalicoSelector.Parse(text);

    private static List<CalicoRule> Rules(JsonElement spec, string section, bool ingress, IReadOnlyCollection<IPAddress> podAddresses)
    {
        var rules = new List<CalicoRule>();
        if (!spec.TryGet(section, out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            return rules;
        }

        int index = 0;
        foreach (JsonElement rule in list.EnumerateArray())
        {
            string where = $"spec.{section}[{index}]";
            foreach (JsonProperty field in rule.EnumerateObject().Where(f => !RuleFields.Contains(f.Name)))
            {
                throw new UnmodeledException($"{where}.{field.Name} is not modeled");
            }

            string action = JsonRead.String(rule, "action") ?? throw new UnmodeledException($"{where} has no action");
            if (action is not ("Allow" or "Deny" or "Log"))
            {
                throw new UnmodeledException($"{where} has the action '{action}'; only Allow, Deny and Log are modeled");
            }

            string? protocol = rule.TryGet("protocol"u8, out JsonElement p) ? p.ToString().ToUpperInvariant() : null;
            if (protocol is not null && !PortSet.Protocols.Contains(protocol))
            {
                throw new UnmodeledException($"{where} uses the protocol '{protocol}'; only TCP, UDP and SCTP are modeled");
            }

            ParsedEntity source = Parse(rule, "source", where);
            ParsedEntity destination = Parse(rule, "destination", where);
            ParsedEntity local = ingress ? destination : source;
            if (local.Selector is not null || local.NamespaceSelector is not null || local.Nets.Count > 0)
            {
                throw new UnmodeledException($"{where} restricts the policy's own endpoints in its {(ingress ? "destination" : "source")}, which is not modeled");
            }

            if (source.Ports.Count > 0)
            {
                throw new UnmodeledException($"{where}.source.ports (source ports) are not modeled");
            }

            if (destination.Ports.Count > 0 && protocol is null)
            {
                throw new UnmodeledException($"{where} lists ports without a protocol, which Calico rejects");
            }

            CalicoEntity peer = (ingress ? source : destination).ToEntity();
            if (peer.Nets.Any(n => podAddresses.Any(n.Contains)))
            {
                throw new UnmodeledException($"{where} names nets that contain pod addresses; matching pods by address is not modeled");
            }

            rules.Add(new CalicoRule(index++, action, protocol, peer, destination.Ports));
        }

        return rules;
    }

    private sealed record ParsedEntity(CalicoSelector? Selector, CalicoSelector? NamespaceSelector, List<IPNetwork> Nets, List<string> Ports)
    {
        public CalicoEntity ToEntity() => new(Selector, NamespaceSelector, Nets);
    }

    private static ParsedEntity Parse(JsonElement rule, string field, string where)
    {
        var nets = new List<IPNetwork>();
        var ports = new List<string>();
        if (!rule.TryGet(field, out JsonElement entity) || entity.ValueKind != JsonValueKind.Object)
        {
            return new ParsedEntity(null, null, nets, ports);
        }

        foreach (JsonProperty unknown in entity.EnumerateObject().Where(f => !EntityFields.Contains(f.Name)))
        {
            throw new UnmodeledException($"{where}.{field}.{unknown.Name} is not modeled");
        }

        foreach (string net in JsonRead.Strings(entity, "nets"))
        {
            nets.Add(IPNetwork.TryParse(net, out IPNetwork parsed) ? parsed : throw new UnmodeledException($"{where}.{field}.nets '{net}' is not a CIDR"));
        }

        if (entity.TryGet("ports"u8, out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement port in list.EnumerateArray())
            {
                string text = port.ToString();
                bool valid = port.ValueKind == JsonValueKind.Number
                    ? port.TryGetInt32(out int n) && n is >= 1 and <= PortSet.MaxPort
                    : text.Split(':') is { Length: 2 } r ? int.TryParse(r[0], out int lo) && int.TryParse(r[1], out int hi) && lo >= 1 && hi <= PortSet.MaxPort && lo <= hi : text.Length > 0;
                ports.Add(valid ? text : throw new UnmodeledException($"{where}.{field}.ports '{text}' is not a port, range or name"));
            }
        }

        return new ParsedEntity(Selector(JsonRead.String(entity, "selector")), Selector(JsonRead.String(entity, "namespaceSelector")), nets, ports);
    }
}
