using System.Net;
using System.Text.Json;
using KubeSecurity.Core.Selectors;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network.Admin;

/// <summary>
/// Reads AdminNetworkPolicy and BaselineAdminNetworkPolicy objects of policy.networking.k8s.io
/// v1alpha1 (the served version of the network-policy API's first revision, KEP-2091), with the
/// validation its CRDs apply: priority 0-1000, a subject with exactly one of namespaces or pods,
/// actions Allow/Deny/Pass (Allow/Deny in the baseline), peers with exactly one field, ports with
/// exactly one of portNumber, namedPort or portRange, a baseline named "default". A policy the API
/// server would reject is skipped whole with a problem. The older v0.1.0 peer form
/// (namespaces.namespaceSelector, pods.namespaces) is read too; its sameLabels and notSameLabels
/// are not evaluated and make answers for the subject partial.
/// </summary>
internal static class AdminPolicyReader
{
    public const string Group = "policy.networking.k8s.io";

    public static bool IsAdminPolicy(KubeObject item) =>
        item.ApiGroup == Group && item.Kind is "AdminNetworkPolicy" or "BaselineAdminNetworkPolicy";

    public static AdminPolicyModel? Read(KubeObject policy, List<NetworkProblem> problems)
    {
        bool baseline = policy.Kind == "BaselineAdminNetworkPolicy";
        var unevaluated = new List<string>();
        try
        {
            if (baseline && policy.Name != "default")
            {
                throw Invalid("a BaselineAdminNetworkPolicy must be named \"default\" (it is a singleton)");
            }

            JsonElement spec = policy.Json.TryGet("spec"u8, out JsonElement s) && s.ValueKind == JsonValueKind.Object ? s : throw Invalid("it has no spec");
            int priority = 0;
            if (!baseline)
            {
                priority = spec.TryGet("priority"u8, out JsonElement p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out int value)
                    ? value is >= 0 and <= 1000 ? value : throw Invalid($"spec.priority {value} is out of range (0-1000)")
                    : throw Invalid("spec.priority is required");
            }

            AdminSubject subject = Subject(spec);
            List<AdminRule> ingress = Rules(spec, "ingress", "from", baseline, unevaluated);
            List<AdminRule> egress = Rules(spec, "egress", "to", baseline, unevaluated);
            return new AdminPolicyModel(policy, baseline, priority, subject, ingress, egress, unevaluated);
        }
        catch (NetworkPolicyReader.InvalidPolicyException ex)
        {
            problems.Add(new NetworkProblem(policy.ToResourceRef(), $"{ex.Message}; the policy is skipped (the API server would reject it)."));
            return null;
        }
    }

    private static NetworkPolicyReader.InvalidPolicyException Invalid(string message) => new(message);

    private static AdminSubject Subject(JsonElement spec)
    {
        if (!spec.TryGet("subject"u8, out JsonElement subject) || subject.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("spec.subject is required");
        }

        bool namespaces = subject.TryGet("namespaces"u8, out JsonElement ns) && ns.ValueKind == JsonValueKind.Object;
        bool pods = subject.TryGet("pods"u8, out JsonElement ps) && ps.ValueKind == JsonValueKind.Object;
        if (namespaces == pods)
        {
            throw Invalid("spec.subject must have exactly one of namespaces or pods");
        }

        return namespaces
            ? new AdminSubject(Selector(ns, "spec.subject.namespaces"), null, null)
            : new AdminSubject(null, PodNamespaces(ps, "spec.subject.pods", null), Selector(Required(ps, "podSelector", "spec.subject.pods"), "spec.subject.pods.podSelector"));
    }

    private static JsonElement Required(JsonElement parent, string field, string where) =>
        parent.TryGet(field, out JsonElement value) && value.ValueKind == JsonValueKind.Object ? value : throw Invalid($"{where}.{field} is required");

    // v1alpha1 (v0.1.1 on): pods.namespaceSelector; v0.1.0: pods.namespaces.{namespaceSelector|sameLabels|notSameLabels}.
    private static LabelSelector PodNamespaces(JsonElement pods, string where, List<string>? unevaluated)
    {
        if (pods.TryGet("namespaceSelector"u8, out JsonElement selector) && selector.ValueKind == JsonValueKind.Object)
        {
            return Selector(selector, where + ".namespaceSelector");
        }

        if (pods.TryGet("namespaces"u8, out JsonElement old) && old.ValueKind == JsonValueKind.Object)
        {
            return OldNamespaces(old, where + ".namespaces", unevaluated);
        }

        throw Invalid($"{where}.namespaceSelector is required");
    }

    private static LabelSelector OldNamespaces(JsonElement peer, string where, List<string>? unevaluated)
    {
        if (peer.TryGet("namespaceSelector"u8, out JsonElement selector) && selector.ValueKind == JsonValueKind.Object)
        {
            return Selector(selector, where + ".namespaceSelector");
        }

        foreach (string field in new[] { "sameLabels", "notSameLabels" })
        {
            if (peer.TryGet(field, out _))
            {
                unevaluated?.Add($"{where}.{field} (namespaces relative to the subject's) is not evaluated");
                return Nothing;
            }
        }

        throw Invalid($"{where} has no namespaceSelector");
    }

    // Matches no namespace: peers the model does not evaluate contribute nothing, and the answer says it is partial.
    private static readonly LabelSelector Nothing = LabelSelector.Parse(JsonDocument.Parse("""{"matchExpressions":[{"key":"kubesecurity.invalid/never","operator":"Exists"},{"key":"kubesecurity.invalid/never","operator":"DoesNotExist"}]}""").RootElement);

    private static bool IsOldNamespacesPeer(JsonElement ns) =>
        ns.TryGet("namespaceSelector"u8, out _) || ns.TryGet("sameLabels"u8, out _) || ns.TryGet("notSameLabels"u8, out _);

    private static List<AdminRule> Rules(JsonElement spec, string section, string peersField, bool baseline, List<string> unevaluated)
    {
        var rules = new List<AdminRule>();
        if (!spec.TryGet(section, out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return rules;
        }

        if (list.ValueKind != JsonValueKind.Array || list.Count() > 100)
        {
            throw Invalid($"spec.{section} must be a list of at most 100 rules");
        }

        int index = 0;
        foreach (JsonElement rule in list.EnumerateArray())
        {
            string where = $"spec.{section}[{index}]";
            string name = JsonRead.String(rule, "name") ?? string.Empty;
            AdminAction action = JsonRead.String(rule, "action") switch
            {
                "Allow" => AdminAction.Allow,
                "Deny" => AdminAction.Deny,
                "Pass" when !baseline => AdminAction.Pass,
                null => throw Invalid($"{where}.action is required"),
                string other => throw Invalid($"{where}.action '{other}' is not one of {(baseline ? "Allow, Deny" : "Allow, Deny, Pass")}"),
            };
            if (!rule.TryGet(peersField, out JsonElement peers) || peers.ValueKind != JsonValueKind.Array || peers.Count() == 0)
            {
                throw Invalid($"{where}.{peersField} needs at least one peer");
            }

            var parsed = new List<AdminPeer>();
            int p = 0;
            foreach (JsonElement peer in peers.EnumerateArray())
            {
                parsed.Add(Peer(peer, $"{where}.{peersField}[{p++}]", egress: section == "egress", unevaluated));
            }

            rules.Add(new AdminRule(index++, name, action, parsed, Ports(rule, where)));
        }

        return rules;
    }

    private static AdminPeer Peer(JsonElement peer, string where, bool egress, List<string> unevaluated)
    {
        if (peer.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{where} is not a peer object");
        }

        var fields = peer.EnumerateObject().Where(f => f.Value.ValueKind != JsonValueKind.Null).Select(f => f.Name).ToList();
        string[] allowed = egress ? new[] { "namespaces", "pods", "nodes", "networks" } : new[] { "namespaces", "pods" };
        if (fields.Count != 1 || !allowed.Contains(fields[0]))
        {
            throw Invalid($"{where} must have exactly one of {string.Join(", ", allowed)}");
        }

        JsonElement value = peer.GetProperty(fields[0]);
        switch (fields[0])
        {
            case "namespaces":
                return new AdminPeer(IsOldNamespacesPeer(value) ? OldNamespaces(value, where + ".namespaces", unevaluated) : Selector(value, where + ".namespaces"), null, null, null, null);
            case "pods":
                return new AdminPeer(null, PodNamespaces(value, where + ".pods", unevaluated), Selector(Required(value, "podSelector", where + ".pods"), where + ".pods.podSelector"), null, null);
            case "nodes":
                return new AdminPeer(null, null, null, null, Selector(value, where + ".nodes"));
            default:
                List<string> cidrs = JsonRead.Strings(peer, "networks");
                if (cidrs.Count is 0 or > 25)
                {
                    throw Invalid($"{where}.networks must list 1 to 25 CIDRs");
                }

                return new AdminPeer(null, null, null, cidrs.Select(c => NetworkPolicyReader.Cidr(c, where + ".networks")).ToList(), null);
        }
    }

    private static LabelSelector Selector(JsonElement json, string where)
    {
        LabelSelector selector = LabelSelector.Parse(json);
        return selector.Problem is null ? selector : throw Invalid($"{where}: {selector.Problem}");
    }

    private static List<PolicyPort>? Ports(JsonElement rule, string where)
    {
        if (!rule.TryGet("ports"u8, out JsonElement ports) || ports.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (ports.ValueKind != JsonValueKind.Array || ports.Count() is 0 or > 100)
        {
            throw Invalid($"{where}.ports must list 1 to 100 ports");
        }

        var result = new List<PolicyPort>();
        int index = 0;
        foreach (JsonElement entry in ports.EnumerateArray())
        {
            string at = $"{where}.ports[{index++}]";
            var fields = entry.ValueKind == JsonValueKind.Object ? entry.EnumerateObject().Where(f => f.Value.ValueKind != JsonValueKind.Null).Select(f => f.Name).ToList() : new List<string>();
            if (fields.Count != 1 || fields[0] is not ("portNumber" or "namedPort" or "portRange"))
            {
                throw Invalid($"{at} must have exactly one of portNumber, namedPort or portRange");
            }

            JsonElement value = entry.GetProperty(fields[0]);
            if (fields[0] == "namedPort")
            {
                string name = value.ValueKind == JsonValueKind.String && value.AsString()!.Length > 0 ? value.AsString()! : throw Invalid($"{at}.namedPort must be a port name");
                result.Add(new PolicyPort("TCP", null, name, null));
                continue;
            }

            string protocol = JsonRead.String(value, "protocol") ?? "TCP";
            if (!PortSet.Protocols.Contains(protocol))
            {
                throw Invalid($"{at} has the unknown protocol '{protocol}' (TCP, UDP or SCTP)");
            }

            if (fields[0] == "portNumber")
            {
                int port = Number(value, "port", at + ".portNumber");
                result.Add(new PolicyPort(protocol, port, null, null));
            }
            else
            {
                int start = Number(value, "start", at + ".portRange");
                int end = Number(value, "end", at + ".portRange");
                result.Add(start < end ? new PolicyPort(protocol, start, null, end) : throw Invalid($"{at}.portRange start {start} must be below end {end}"));
            }
        }

        return result;
    }

    private static int Number(JsonElement parent, string field, string where) =>
        parent.TryGet(field, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number is >= 1 and <= PortSet.MaxPort ? number : throw Invalid($"{where}.{field} {number} is out of range (1-65535)")
            : throw Invalid($"{where}.{field} is required");
}
