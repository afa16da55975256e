using KubeSecurity.Core.Network.Cilium;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>
/// Cilium at L3/L4, with NetworkPolicy: a pod is isolated for a direction when a NetworkPolicy or a
/// Cilium policy with default deny for that direction selects it; then what any of them allows is
/// allowed; deny rules (ingressDeny, egressDeny) win over every allow, isolated or not.
/// </summary>
public sealed partial class NetworkModel
{
    private readonly List<CiliumPolicyModel> ciliumPolicies = new();
    private List<CiliumPolicyModel>[] ciliumIngressOf = Array.Empty<List<CiliumPolicyModel>>();
    private List<CiliumPolicyModel>[] ciliumEgressOf = Array.Empty<List<CiliumPolicyModel>>();
    private readonly List<(ResourceRef Object, string Reason, string? Namespace, bool Clusterwide)> ciliumUnmodelled = new();

    /// <summary>Cilium policies evaluated at L3/L4 (one per spec).</summary>
    public IReadOnlyList<CiliumPolicyModel> CiliumPolicies => ciliumPolicies;

    private void ReadCilium(IEnumerable<KubeObject> objects)
    {
        foreach (KubeObject item in objects)
        {
            List<CiliumPolicyModel> specs = CiliumPolicyReader.Read(item, out string? reason);
            if (reason is not null)
            {
                ciliumUnmodelled.Add((item.ToResourceRef(), $"this Cilium policy is not evaluated ({reason})", item.Namespace ?? "default", item.Kind == "CiliumClusterwideNetworkPolicy"));
            }

            ciliumPolicies.AddRange(specs);
        }
    }

    private void IndexCilium()
    {
        ciliumIngressOf = new List<CiliumPolicyModel>[classes.Count];
        ciliumEgressOf = new List<CiliumPolicyModel>[classes.Count];
        foreach (PodClass podClass in classes)
        {
            var selecting = ciliumPolicies.Count == 0 ? new List<CiliumPolicyModel>() : ciliumPolicies.Where(p => p.Selects(podClass)).ToList();
            ciliumIngressOf[podClass.Id] = selecting.Where(p => p.HasIngress).ToList();
            ciliumEgressOf[podClass.Id] = selecting.Where(p => p.HasEgress).ToList();
        }
    }

    private bool CiliumIsolates(PodClass pods, bool ingress)
    {
        List<CiliumPolicyModel> selecting = ingress ? ciliumIngressOf[pods.Id] : ciliumEgressOf[pods.Id];
        for (int i = 0; i < selecting.Count; i++)
        {
            if (ingress ? selecting[i].DefaultDenyIngress : selecting[i].DefaultDenyEgress)
            {
                return true;
            }
        }

        return false;
    }

    private bool CiliumRuleMatches(CiliumPolicyModel policy, CiliumRule rule, NetworkEndpoint peer)
    {
        if (rule.Peers is null)
        {
            return true;
        }

        if (peer.Pods is PodClass pods)
        {
            bool[]? matches = rule.PeerMatchesByClass;
            if (matches is null)
            {
                matches = new bool[classes.Count];
                foreach (PodClass candidate in classes)
                {
                    matches[candidate.Id] = !candidate.HostNetwork && rule.Peers.Any(p => CiliumPeerMatchesPods(policy, p, candidate));
                }

                rule.PeerMatchesByClass = matches;
            }

            return matches[pods.Id];
        }

        for (int i = 0; i < rule.Peers.Count; i++)
        {
            CiliumPeer candidate = rule.Peers[i];
            if ((candidate.Cidr is not null && candidate.Cidr.Contains(peer.Address!)) || candidate.Entity is "world" or "all")
            {
                return true;
            }
        }

        return false;
    }

    private static bool CiliumPeerMatchesPods(CiliumPolicyModel policy, CiliumPeer peer, PodClass pods)
    {
        if (peer.Endpoints is not null)
        {
            return (!peer.SameNamespaceOnly || pods.Namespace == policy.Namespace) && peer.Endpoints.Matches(CiliumLabels.Of(pods));
        }

        return peer.Entity is "cluster" or "all"; // CIDR rules never match endpoints Cilium manages
    }

    private static PortSet CiliumRulePorts(CiliumRule rule, NetworkEndpoint destination) =>
        rule.HasNamedPorts ? WithNamedPorts(rule.NumberedPorts, rule.Ports!, destination, anyProtocol: false) : rule.NumberedPorts;

    /// <summary>NetworkPolicy's (or Calico's) verdict for one side combined with the Cilium policies selecting the pods.</summary>
    private SideVerdict WithCilium(SideVerdict kubernetes, PodClass pods, bool ingress, NetworkEndpoint source, NetworkEndpoint destination, bool explain)
    {
        List<CiliumPolicyModel> selecting = ingress ? ciliumIngressOf[pods.Id] : ciliumEgressOf[pods.Id];
        NetworkEndpoint peer = ingress ? source : destination;
        string direction = ingress ? "ingress" : "egress";
        bool isolated = kubernetes.Isolated || CiliumIsolates(pods, ingress);
        PortSet allowed = kubernetes.Isolated ? kubernetes.Allowed : PortSet.None;
        PortSet denied = PortSet.None;
        var steps = explain ? new List<(PortSet Ports, string Text)>() : null;
        foreach (CiliumPolicyModel policy in selecting)
        {
            foreach (CiliumRule rule in ingress ? policy.IngressRules : policy.EgressRules)
            {
                if (!CiliumRuleMatches(policy, rule, peer))
                {
                    continue;
                }

                PortSet ports = CiliumRulePorts(rule, destination);
                if (ports.IsEmpty)
                {
                    continue;
                }

                if (rule.Deny)
                {
                    denied = denied.Union(ports);
                }
                else
                {
                    allowed = allowed.Union(ports);
                }

                steps?.Add((ports, $"{policy} {direction}{(rule.Deny ? "Deny" : string.Empty)}[{rule.Index}] {(rule.Deny ? "Deny" : "Allow")} ({ports})"));
            }
        }

        PortSet result = (isolated ? allowed : PortSet.All).Except(denied);
        if (steps is null)
        {
            return new SideVerdict(isolated, result, Array.Empty<string>(), Array.Empty<string>());
        }

        // Denies first in the explanation: they decide whatever else allows.
        var ordered = steps.Where(s => s.Text.Contains(" Deny (", StringComparison.Ordinal)).ToList();
        if (kubernetes.Isolated && !kubernetes.Allowed.IsEmpty)
        {
            ordered.Add((kubernetes.Allowed.Except(denied), $"allowed by {string.Join("; ", kubernetes.AllowingRules)}"));
        }

        ordered.AddRange(steps.Where(s => !s.Text.Contains(" Deny (", StringComparison.Ordinal)).Select(s => (s.Ports.Except(denied), s.Text)));
        PortSet rest = PortSet.All.Except(result).Except(denied);
        if (!rest.IsEmpty)
        {
            ordered.Add((rest, $"{pods} is isolated for {direction} ({string.Join(", ", kubernetes.Policies.Concat(selecting.Where(p => ingress ? p.DefaultDenyIngress : p.DefaultDenyEgress).Select(p => p.ToString())))}) and no rule allows this"));
        }

        if (!isolated)
        {
            ordered.Add((result, $"{pods} is not isolated for {direction}: everything no deny rule refuses is allowed"));
        }

        return new SideVerdict(isolated, result, kubernetes.Policies.Concat(selecting.Select(p => p.ToString())).ToList(), ordered.Select(s => s.Text).ToList())
        {
            Tiered = true,
            Steps = ordered.Select(s => (s.Item1, s.Item2)).ToList(),
        };
    }
}
