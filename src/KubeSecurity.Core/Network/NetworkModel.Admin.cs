using System.Net;
using KubeSecurity.Core.Network.Admin;
using KubeSecurity.Model;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Network;

/// <summary>
/// The admin tiers (KEP-2091): for each direction, the AdminNetworkPolicies selecting the pods are
/// evaluated first by priority (lower number first) and their rules in order: the first rule that
/// matches the peer and a port decides that port (Allow, Deny, or Pass to the next tier). What no
/// AdminNetworkPolicy decided, and what was passed, goes to NetworkPolicy (with Calico where it
/// applies) when a NetworkPolicy isolates the pods; otherwise to the BaselineAdminNetworkPolicy
/// "default", whose first matching rule decides; what nothing decides is allowed.
/// </summary>
public sealed partial class NetworkModel
{
    private readonly List<AdminPolicyModel> adminPolicies = new();
    private AdminPolicyModel? baselinePolicy;
    private List<AdminPolicyModel>[] adminIngressOf = Array.Empty<List<AdminPolicyModel>>();
    private List<AdminPolicyModel>[] adminEgressOf = Array.Empty<List<AdminPolicyModel>>();
    private bool[] baselineIngressOf = Array.Empty<bool>();
    private bool[] baselineEgressOf = Array.Empty<bool>();
    private readonly List<(IReadOnlyDictionary<string, string> Labels, List<IPAddress> Addresses)> nodes = new();

    /// <summary>AdminNetworkPolicies, by priority then name.</summary>
    public IReadOnlyList<AdminPolicyModel> AdminPolicies => adminPolicies;

    /// <summary>The BaselineAdminNetworkPolicy "default", when there is one.</summary>
    public AdminPolicyModel? BaselinePolicy => baselinePolicy;

    private void ReadAdmin(KubeSnapshot snapshot, IEnumerable<KubeObject> objects, List<NetworkProblem> problems)
    {
        foreach (KubeObject item in objects)
        {
            if (AdminPolicyReader.Read(item, problems) is AdminPolicyModel parsed)
            {
                if (parsed.Baseline)
                {
                    if (baselinePolicy is not null)
                    {
                        problems.Add(new NetworkProblem(parsed.Ref, "a second BaselineAdminNetworkPolicy \"default\" in the input: the API holds one, so the last one read is used."));
                    }

                    baselinePolicy = parsed;
                }
                else
                {
                    adminPolicies.Add(parsed);
                }
            }
        }

        adminPolicies.Sort((a, b) => a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : string.CompareOrdinal(a.Name, b.Name));
        foreach (KubeObject node in snapshot.OfKind("Node"))
        {
            var addresses = new List<IPAddress>();
            if (node.Json.TryGet("status"u8, out var status) && status.TryGet("addresses"u8, out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var address in list.EnumerateArray())
                {
                    if (Snapshots.JsonRead.String(address, "address") is string text && IPAddress.TryParse(text, out IPAddress? parsed))
                    {
                        addresses.Add(parsed);
                    }
                }
            }

            nodes.Add((node.Labels, addresses));
        }
    }

    private void IndexAdmin()
    {
        adminIngressOf = new List<AdminPolicyModel>[classes.Count];
        adminEgressOf = new List<AdminPolicyModel>[classes.Count];
        baselineIngressOf = new bool[classes.Count];
        baselineEgressOf = new bool[classes.Count];
        foreach (PodClass podClass in classes)
        {
            var selecting = adminPolicies.Where(p => p.Subject.Selects(podClass)).ToList();
            adminIngressOf[podClass.Id] = selecting.Where(p => p.IngressRules.Count > 0).ToList();
            adminEgressOf[podClass.Id] = selecting.Where(p => p.EgressRules.Count > 0).ToList();
            bool baseline = baselinePolicy is not null && baselinePolicy.Subject.Selects(podClass);
            baselineIngressOf[podClass.Id] = baseline && baselinePolicy!.IngressRules.Count > 0;
            baselineEgressOf[podClass.Id] = baseline && baselinePolicy!.EgressRules.Count > 0;
        }
    }

    private bool HasAdminTier(PodClass pods, bool ingress) =>
        ingress ? adminIngressOf[pods.Id].Count > 0 || baselineIngressOf[pods.Id] : adminEgressOf[pods.Id].Count > 0 || baselineEgressOf[pods.Id];

    /// <summary>The admin policies that select the pods (for coverage rows).</summary>
    public IEnumerable<string> AdminPolicyNames(PodClass pods) =>
        adminIngressOf[pods.Id].Concat(adminEgressOf[pods.Id]).Distinct().Select(p => $"{p} (priority {p.Priority})")
            .Concat(baselineIngressOf[pods.Id] || baselineEgressOf[pods.Id] ? new[] { baselinePolicy!.ToString() } : Array.Empty<string>());

    /// <summary>Whether an admin rule's peer matches the endpoint.</summary>
    private bool AdminRuleMatches(AdminRule rule, NetworkEndpoint peer)
    {
        if (peer.Pods is PodClass pods)
        {
            bool[]? matches = rule.PeerMatchesByClass;
            if (matches is null)
            {
                matches = new bool[classes.Count];
                foreach (PodClass candidate in classes)
                {
                    matches[candidate.Id] = rule.Peers.Any(p => AdminPeerMatchesPods(p, candidate));
                }

                rule.PeerMatchesByClass = matches;
            }

            return matches[pods.Id];
        }

        // Indexed loops without closures: maps ask this for every class and every outside address.
        IPAddress address = peer.Address!;
        IReadOnlyList<AdminPeer> peers = rule.Peers;
        for (int p = 0; p < peers.Count; p++)
        {
            AdminPeer candidate = peers[p];
            if (candidate.Networks is { } networks)
            {
                for (int n = 0; n < networks.Count; n++)
                {
                    if (networks[n].Contains(address))
                    {
                        return true;
                    }
                }
            }

            if (candidate.Nodes is not null)
            {
                for (int n = 0; n < nodes.Count; n++)
                {
                    if (nodes[n].Addresses.Contains(address) && candidate.Nodes.Matches(nodes[n].Labels))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool AdminPeerMatchesPods(AdminPeer peer, PodClass pods)
    {
        if (pods.HostNetwork)
        {
            return false;
        }

        if (peer.Namespaces is not null)
        {
            return peer.Namespaces.Matches(pods.NamespaceLabels);
        }

        if (peer.Pods is not null)
        {
            return peer.PodNamespaces!.Matches(pods.NamespaceLabels) && peer.Pods.Matches(pods.Labels);
        }

        // networks select pod addresses too; pods whose addresses are unknown are not matched (their answers say so).
        return peer.Networks is not null && pods.Addresses.Count > 0 && pods.Addresses.Any(a => peer.Networks.Any(n => n.Contains(a)));
    }

    private static PortSet AdminRulePorts(AdminRule rule, NetworkEndpoint destination) =>
        rule.HasNamedPorts ? WithNamedPorts(rule.NumberedPorts, rule.Ports!, destination, anyProtocol: true) : rule.NumberedPorts;

    /// <summary>One side of a connection through the tiers: admin policies, then NetworkPolicy or the baseline.</summary>
    private SideVerdict Tiered(PodClass pods, bool ingress, NetworkEndpoint source, NetworkEndpoint destination, bool explain)
    {
        NetworkEndpoint peer = ingress ? source : destination;
        string direction = ingress ? "ingress" : "egress";
        PortSet remaining = PortSet.All;
        PortSet allowed = PortSet.None;
        PortSet passed = PortSet.None;
        var steps = explain ? new List<(PortSet Ports, string Text)>() : null;
        var policies = explain ? new List<string>() : null;
        List<AdminPolicyModel> admin = ingress ? adminIngressOf[pods.Id] : adminEgressOf[pods.Id];
        for (int a = 0; a < admin.Count; a++)
        {
            AdminPolicyModel policy = admin[a];
            string label = $"{policy} (priority {policy.Priority})";
            policies?.Add(label);
            Decide(ingress ? policy.IngressRules : policy.EgressRules, label, direction, peer, destination, ref remaining, ref allowed, ref passed, steps);
        }

        PortSet next = remaining.Union(passed);
        if (!next.IsEmpty)
        {
            bool isolated = ingress ? IsIngressIsolated(pods) : IsEgressIsolated(pods);
            if (isolated && steps is null)
            {
                allowed = allowed.Union(PolicyPorts(pods, ingress, source, destination).Intersect(next));
            }
            else if (isolated)
            {
                SideVerdict kubernetes = PolicySide(pods, ingress, source, destination);
                PortSet byPolicy = kubernetes.Allowed.Intersect(next);
                allowed = allowed.Union(byPolicy);
                policies!.AddRange(kubernetes.Policies);
                steps!.Add((next, byPolicy.IsEmpty
                    ? $"NetworkPolicy isolates {pods} for {direction} ({string.Join(", ", kubernetes.Policies)}) and no rule allows the rest ({next})"
                    : $"of the rest ({next}), NetworkPolicy allows {byPolicy}: {string.Join("; ", kubernetes.AllowingRules)}"));
            }
            else
            {
                PortSet open = next;
                if (ingress ? baselineIngressOf[pods.Id] : baselineEgressOf[pods.Id])
                {
                    string label = baselinePolicy!.ToString();
                    policies?.Add(label);
                    PortSet unused = PortSet.None; // the baseline has no Pass
                    Decide(ingress ? baselinePolicy.IngressRules : baselinePolicy.EgressRules, label, direction, peer, destination, ref open, ref allowed, ref unused, steps);
                }

                allowed = allowed.Union(open);
                if (steps is not null && !open.IsEmpty)
                {
                    steps.Add((open, $"no NetworkPolicy isolates {pods} for {direction}{(baselinePolicy is null ? string.Empty : " and no baseline rule matches")}: allowed by default ({open})"));
                }
            }
        }

        return new SideVerdict(true, allowed, (IReadOnlyList<string>?)policies ?? Array.Empty<string>(), steps?.Select(s => s.Text).ToList() ?? (IReadOnlyList<string>)Array.Empty<string>())
        {
            Tiered = true,
            Steps = (IReadOnlyList<(PortSet, string)>?)steps ?? Array.Empty<(PortSet, string)>(),
        };
    }

    /// <summary>
    /// One admin policy's rules in order: the first rule matching the peer and a port still undecided
    /// decides that port (Allow adds it to allowed, Pass to passed, Deny to neither).
    /// </summary>
    private void Decide(IReadOnlyList<AdminRule> rules, string label, string direction, NetworkEndpoint peer, NetworkEndpoint destination,
        ref PortSet undecided, ref PortSet allowed, ref PortSet passed, List<(PortSet Ports, string Text)>? steps)
    {
        for (int r = 0; r < rules.Count && !undecided.IsEmpty; r++)
        {
            AdminRule rule = rules[r];
            if (!AdminRuleMatches(rule, peer))
            {
                continue;
            }

            PortSet rulePorts = AdminRulePorts(rule, destination);
            if (!rulePorts.Overlaps(undecided))
            {
                continue;
            }

            PortSet ports = rulePorts.Intersect(undecided);
            undecided = undecided.Except(ports);
            switch (rule.Action)
            {
                case AdminAction.Allow:
                    allowed = allowed.Union(ports);
                    break;
                case AdminAction.Pass:
                    passed = passed.Union(ports);
                    break;
            }

            steps?.Add((ports, $"{label} {direction}[{rule.Index}]{RuleName(rule)} {rule.Action} ({ports})"));
        }
    }

    private static string RuleName(AdminRule rule) => rule.Name.Length > 0 ? $" '{rule.Name}'" : string.Empty;
}
