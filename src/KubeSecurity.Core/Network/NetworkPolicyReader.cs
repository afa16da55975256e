using System.Net;
using System.Text.Json;
using KubeSecurity.Core.Selectors;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>A policy or object the network model could not use, and why; the rest is still analysed.</summary>
public sealed record NetworkProblem(ResourceRef Resource, string Message)
{
    public override string ToString() => $"{Resource}: {Message}";
}

/// <summary>
/// Reads networking.k8s.io/v1 NetworkPolicies. A policy the API server would reject (bad CIDR,
/// unknown protocol, bad selector operator, port out of range, endPort without a numeric port) is
/// skipped whole with a problem naming what is wrong, because half a policy would give wrong answers.
/// </summary>
internal static class NetworkPolicyReader
{
    internal sealed class InvalidPolicyException(string message) : Exception(message);

    public static NetworkPolicyModel? Read(KubeObject policy, List<NetworkProblem> problems)
    {
        try
        {
            JsonElement spec = policy.Json.TryGet("spec"u8, out JsonElement s) && s.ValueKind == JsonValueKind.Object ? s
                : throw new InvalidPolicyException("it has no spec");
            LabelSelector podSelector = spec.TryGet("podSelector"u8, out JsonElement ps) && ps.ValueKind != JsonValueKind.Null
                ? Selector(ps, "spec.podSelector")
                : LabelSelector.Everything;
            List<PolicyRule> ingress = Rules(spec, "ingress", "from");
            List<PolicyRule> egress = Rules(spec, "egress", "to");
            List<string> types = JsonRead.Strings(spec, "policyTypes");
            foreach (string type in types.Where(t => t is not ("Ingress" or "Egress")))
            {
                throw new InvalidPolicyException($"policyTypes has the unknown type '{type}'");
            }

            // Defaulting as the API server does it: Ingress always, Egress when there are egress rules.
            bool affectsIngress = types.Count == 0 || types.Contains("Ingress");
            bool affectsEgress = types.Count == 0 ? egress.Count > 0 : types.Contains("Egress");
            return new NetworkPolicyModel(policy, podSelector, affectsIngress, affectsEgress, ingress, egress);
        }
        catch (InvalidPolicyException ex)
        {
            problems.Add(new NetworkProblem(policy.ToResourceRef(), $"{ex.Message}; the policy is skipped (the API server would reject it)."));
            return null;
        }
    }

    private static LabelSelector Selector(JsonElement json, string where)
    {
        LabelSelector selector = LabelSelector.Parse(json);
        return selector.Problem is null ? selector : throw new InvalidPolicyException($"{where}: {selector.Problem}");
    }

    private static List<PolicyRule> Rules(JsonElement spec, string section, string peersField)
    {
        var rules = new List<PolicyRule>();
        if (!spec.TryGet(section, out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return rules;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidPolicyException($"spec.{section} must be a list");
        }

        int index = 0;
        foreach (JsonElement rule in list.EnumerateArray())
        {
            string where = $"spec.{section}[{index}]";
            if (rule.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidPolicyException($"{where} is not a rule object");
            }

            rules.Add(new PolicyRule(index++, Peers(rule, peersField, where), Ports(rule, where)));
        }

        return rules;
    }

    private static List<PolicyPeer>? Peers(JsonElement rule, string field, string where)
    {
        // An absent or empty from/to matches every peer.
        if (!rule.TryGet(field, out JsonElement peers) || peers.ValueKind == JsonValueKind.Null || (peers.ValueKind == JsonValueKind.Array && peers.Count() == 0))
        {
            return null;
        }

        if (peers.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidPolicyException($"{where}.{field} must be a list");
        }

        var result = new List<PolicyPeer>();
        int index = 0;
        foreach (JsonElement peer in peers.EnumerateArray())
        {
            string at = $"{where}.{field}[{index++}]";
            bool hasIp = peer.TryGet("ipBlock"u8, out JsonElement ip) && ip.ValueKind == JsonValueKind.Object;
            LabelSelector? pods = peer.TryGet("podSelector"u8, out JsonElement ps) && ps.ValueKind == JsonValueKind.Object ? Selector(ps, at + ".podSelector") : null;
            LabelSelector? namespaces = peer.TryGet("namespaceSelector"u8, out JsonElement ns) && ns.ValueKind == JsonValueKind.Object ? Selector(ns, at + ".namespaceSelector") : null;
            if (hasIp && (pods is not null || namespaces is not null))
            {
                throw new InvalidPolicyException($"{at} combines ipBlock with a selector, which the API does not allow");
            }

            if (!hasIp && pods is null && namespaces is null)
            {
                throw new InvalidPolicyException($"{at} has neither a selector nor an ipBlock");
            }

            result.Add(new PolicyPeer(pods, namespaces, hasIp ? Block(ip, at) : null));
        }

        return result;
    }

    private static IpBlock Block(JsonElement ip, string at)
    {
        string cidrText = JsonRead.String(ip, "cidr") ?? throw new InvalidPolicyException($"{at}.ipBlock has no cidr");
        IPNetwork cidr = Cidr(cidrText, at + ".ipBlock.cidr");
        var except = new List<IPNetwork>();
        foreach (string text in JsonRead.Strings(ip, "except"))
        {
            IPNetwork excluded = Cidr(text, at + ".ipBlock.except");
            if (excluded.BaseAddress.AddressFamily != cidr.BaseAddress.AddressFamily || !cidr.Contains(excluded.BaseAddress) || excluded.PrefixLength <= cidr.PrefixLength)
            {
                throw new InvalidPolicyException($"{at}.ipBlock.except '{text}' is not inside '{cidrText}'");
            }

            except.Add(excluded);
        }

        return new IpBlock(cidr, except);
    }

    internal static IPNetwork Cidr(string text, string at)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out IPAddress? address) || !int.TryParse(text[(slash + 1)..], out int prefix)
            || prefix < 0 || prefix > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32))
        {
            throw new InvalidPolicyException($"{at} '{text}' is not a valid CIDR");
        }

        // The API accepts a CIDR with host bits set; matching uses the network part.
        return new IPNetwork(Mask(address, prefix), prefix);
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            int bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }

    private static List<PolicyPort>? Ports(JsonElement rule, string where)
    {
        if (!rule.TryGet("ports"u8, out JsonElement ports) || ports.ValueKind == JsonValueKind.Null || (ports.ValueKind == JsonValueKind.Array && ports.Count() == 0))
        {
            return null;
        }

        if (ports.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidPolicyException($"{where}.ports must be a list");
        }

        var result = new List<PolicyPort>();
        int index = 0;
        foreach (JsonElement entry in ports.EnumerateArray())
        {
            string at = $"{where}.ports[{index++}]";
            string protocol = JsonRead.String(entry, "protocol") ?? "TCP";
            if (!PortSet.Protocols.Contains(protocol))
            {
                throw new InvalidPolicyException($"{at} has the unknown protocol '{protocol}' (TCP, UDP or SCTP)");
            }

            int? number = null;
            string? name = null;
            if (entry.TryGet("port"u8, out JsonElement port))
            {
                if (port.ValueKind == JsonValueKind.Number && port.TryGetInt32(out int value))
                {
                    number = value is >= 1 and <= PortSet.MaxPort ? value : throw new InvalidPolicyException($"{at}.port {value} is out of range (1-65535)");
                }
                else if (port.ValueKind == JsonValueKind.String)
                {
                    string text = port.AsString()!;
                    if (int.TryParse(text, out int parsed))
                    {
                        number = parsed is >= 1 and <= PortSet.MaxPort ? parsed : throw new InvalidPolicyException($"{at}.port {parsed} is out of range (1-65535)");
                    }
                    else
                    {
                        name = text.Length is > 0 and <= 15 ? text : throw new InvalidPolicyException($"{at}.port '{text}' is not a valid port name");
                    }
                }
                else if (port.ValueKind != JsonValueKind.Null)
                {
                    throw new InvalidPolicyException($"{at}.port must be a number or a name");
                }
            }

            int? endPort = null;
            if (entry.TryGet("endPort"u8, out JsonElement end) && end.ValueKind == JsonValueKind.Number)
            {
                if (!end.TryGetInt32(out int endValue) || number is null || endValue < number || endValue > PortSet.MaxPort)
                {
                    throw new InvalidPolicyException($"{at}.endPort {end.GetRawText()} needs a numeric port not above it (and at most 65535)");
                }

                endPort = endValue;
            }

            result.Add(new PolicyPort(protocol, number, name, endPort));
        }

        return result;
    }
}
