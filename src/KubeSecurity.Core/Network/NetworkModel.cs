using System.Net;
using KubeSecurity.Core.Selectors;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>
/// The NetworkPolicy semantics of one snapshot. A pod is isolated for a direction only when a
/// policy selecting it has that policy type; a connection needs the source's egress and the
/// destination's ingress to allow it. Pods are grouped into classes (namespace, labels, named
/// ports), and rule peers are matched against every class once, so questions about thousands of
/// pods are a few array lookups. Host-network pods are out of scope: the model says so rather than
/// answering for them. ipBlock peers match addresses outside the cluster, not pod addresses.
/// </summary>
public sealed class NetworkModel
{
    private readonly List<PodClass> classes = new();
    private readonly List<NetworkPolicyModel> policies = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> namespaceLabels = new(StringComparer.Ordinal);
    private List<NetworkPolicyModel>[] ingressOf = Array.Empty<List<NetworkPolicyModel>>();
    private List<NetworkPolicyModel>[] egressOf = Array.Empty<List<NetworkPolicyModel>>();
    private readonly Dictionary<(NetworkPolicyModel, bool, int), bool[]> peerMatches = new();

    private NetworkModel()
    {
    }

    public IReadOnlyList<PodClass> Classes => classes;
    public IReadOnlyList<NetworkPolicyModel> Policies => policies;
    public IReadOnlyList<NetworkProblem> Problems { get; private set; } = Array.Empty<NetworkProblem>();

    /// <summary>Namespaces the snapshot knows (Namespace objects and namespaces of pods or policies).</summary>
    public IReadOnlyCollection<string> Namespaces => namespaceLabels.Keys;

    /// <summary>Calico and other policy kinds found but not evaluated: answers do not include their effect.</summary>
    public IReadOnlyList<ResourceRef> Unmodeled { get; private set; } = Array.Empty<ResourceRef>();

    public static NetworkModel Build(KubeSnapshot snapshot, IEnumerable<KubeObject>? replacementPolicies = null)
    {
        var model = new NetworkModel();
        var problems = new List<NetworkProblem>();
        foreach (KubeObject ns in snapshot.OfKind("Namespace"))
        {
            model.namespaceLabels[ns.Name] = WithNameLabel(ns.Labels, ns.Name);
        }

        // Proposed policies replace those of the same namespace and name (what-if).
        var policyObjects = snapshot.OfKind("NetworkPolicy").Where(p => p.ApiGroup == "networking.k8s.io").ToList();
        if (replacementPolicies is not null)
        {
            var proposed = replacementPolicies.ToList();
            policyObjects.RemoveAll(p => proposed.Any(n => n.Namespace == p.Namespace && n.Name == p.Name));
            policyObjects.AddRange(proposed);
        }

        foreach (KubeObject policy in policyObjects)
        {
            if (NetworkPolicyReader.Read(policy, problems) is NetworkPolicyModel parsed)
            {
                model.policies.Add(parsed);
                model.EnsureNamespace(parsed.Namespace);
            }
        }

        model.Unmodeled = snapshot.Objects.Where(o => o.ApiGroup is "projectcalico.org" or "crd.projectcalico.org" && o.Kind is "NetworkPolicy" or "GlobalNetworkPolicy")
            .Select(o => o.ToResourceRef()).ToList();
        foreach (ResourceRef calico in model.Unmodeled)
        {
            problems.Add(new NetworkProblem(calico, "Calico policies are not evaluated: connectivity answers leave out what it allows or denies."));
        }

        var byKey = new Dictionary<string, PodClass>(StringComparer.Ordinal);
        foreach (PodInstance pod in WorkloadPods.Find(snapshot))
        {
            model.EnsureNamespace(pod.Namespace);
            string key = $"{pod.Namespace}\n{pod.HostNetwork}\n{string.Join("\n", pod.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value))}\n"
                + string.Join(",", pod.NamedPorts.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Port).Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"));
            if (!byKey.TryGetValue(key, out PodClass? podClass))
            {
                podClass = new PodClass(model.classes.Count, pod.Namespace, pod.Labels, model.namespaceLabels[pod.Namespace], pod.NamedPorts, pod.HostNetwork);
                byKey[key] = podClass;
                model.classes.Add(podClass);
            }

            if (!podClass.Workloads.Contains(pod.Workload))
            {
                podClass.Workloads.Add(pod.Workload);
            }

            if (pod.PodName is not null)
            {
                podClass.Pods.Add($"{pod.Namespace}/{pod.PodName}");
            }

            if (pod.Address is not null)
            {
                podClass.Addresses.Add(pod.Address);
            }
        }

        model.ingressOf = new List<NetworkPolicyModel>[model.classes.Count];
        model.egressOf = new List<NetworkPolicyModel>[model.classes.Count];
        foreach (PodClass podClass in model.classes)
        {
            var selecting = podClass.HostNetwork ? new List<NetworkPolicyModel>()
                : model.policies.Where(p => p.Namespace == podClass.Namespace && p.PodSelector.Matches(podClass.Labels)).ToList();
            model.ingressOf[podClass.Id] = selecting.Where(p => p.AffectsIngress).ToList();
            model.egressOf[podClass.Id] = selecting.Where(p => p.AffectsEgress).ToList();
        }

        model.Problems = problems;
        return model;
    }

    private static Dictionary<string, string> WithNameLabel(IReadOnlyDictionary<string, string> labels, string name)
    {
        // The API server labels every namespace with its name (since Kubernetes 1.21).
        return new Dictionary<string, string>(labels, StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = name };
    }

    private void EnsureNamespace(string ns)
    {
        if (!namespaceLabels.ContainsKey(ns))
        {
            namespaceLabels[ns] = WithNameLabel(new Dictionary<string, string>(), ns);
        }
    }

    public IReadOnlyList<NetworkPolicyModel> IngressPoliciesOf(PodClass podClass) => ingressOf[podClass.Id];

    public IReadOnlyList<NetworkPolicyModel> EgressPoliciesOf(PodClass podClass) => egressOf[podClass.Id];

    /// <summary>The classes a policy selects.</summary>
    public IEnumerable<PodClass> SelectedBy(NetworkPolicyModel policy) =>
        classes.Where(c => !c.HostNetwork && c.Namespace == policy.Namespace && policy.PodSelector.Matches(c.Labels));

    /// <summary>Whether a peer of a rule matches the endpoint (pods by selectors; outside addresses by ipBlock).</summary>
    public static bool PeerMatches(NetworkPolicyModel policy, PolicyPeer peer, NetworkEndpoint endpoint)
    {
        if (endpoint.Pods is PodClass pods)
        {
            if (peer.IpBlock is not null)
            {
                return false;
            }

            bool namespaceOk = peer.NamespaceSelector is null ? pods.Namespace == policy.Namespace : peer.NamespaceSelector.Matches(pods.NamespaceLabels);
            return namespaceOk && (peer.PodSelector is null || peer.PodSelector.Matches(pods.Labels));
        }

        return peer.IpBlock is not null && peer.IpBlock.Contains(endpoint.Address!);
    }

    private bool RuleMatches(NetworkPolicyModel policy, bool ingress, PolicyRule rule, NetworkEndpoint peer)
    {
        if (rule.AllPeers)
        {
            return true;
        }

        if (peer.Pods is null)
        {
            return rule.Peers!.Any(p => PeerMatches(policy, p, peer));
        }

        var key = (policy, ingress, rule.Index);
        if (!peerMatches.TryGetValue(key, out bool[]? matches))
        {
            matches = new bool[classes.Count];
            foreach (PodClass candidate in classes)
            {
                NetworkEndpoint endpoint = NetworkEndpoint.Of(candidate);
                matches[candidate.Id] = rule.Peers!.Any(p => PeerMatches(policy, p, endpoint));
            }

            peerMatches[key] = matches;
        }

        return matches[peer.Pods.Id];
    }

    /// <summary>The ports a rule allows towards a destination: named ports resolve against the destination pods.</summary>
    public static PortSet RulePorts(PolicyRule rule, NetworkEndpoint destination)
    {
        if (rule.AllPorts)
        {
            return PortSet.All;
        }

        PortSet set = PortSet.None;
        foreach (PolicyPort port in rule.Ports!)
        {
            set = set.Union(port.Name is not null
                ? destination.Pods?.Resolve(port.Name, port.Protocol) ?? PortSet.None
                : port.Port is int number ? PortSet.Of(port.Protocol, number, port.EndPort ?? number) : PortSet.AllOf(port.Protocol));
        }

        return set;
    }

    /// <summary>What the destination's ingress allows from the source.</summary>
    public SideVerdict Ingress(NetworkEndpoint source, NetworkEndpoint destination)
    {
        if (destination.Pods is not PodClass pods)
        {
            return new SideVerdict(false, PortSet.All, Array.Empty<string>(), Array.Empty<string>());
        }

        return Side(ingressOf[pods.Id], true, source, destination);
    }

    /// <summary>What the source's egress allows to the destination.</summary>
    public SideVerdict Egress(NetworkEndpoint source, NetworkEndpoint destination)
    {
        if (source.Pods is not PodClass pods)
        {
            return new SideVerdict(false, PortSet.All, Array.Empty<string>(), Array.Empty<string>());
        }

        return Side(egressOf[pods.Id], false, source, destination);
    }

    private SideVerdict Side(List<NetworkPolicyModel> selecting, bool ingress, NetworkEndpoint source, NetworkEndpoint destination)
    {
        if (selecting.Count == 0)
        {
            return new SideVerdict(false, PortSet.All, Array.Empty<string>(), Array.Empty<string>());
        }

        NetworkEndpoint peer = ingress ? source : destination;
        PortSet allowed = PortSet.None;
        var allowing = new List<string>();
        foreach (NetworkPolicyModel policy in selecting)
        {
            foreach (PolicyRule rule in ingress ? policy.IngressRules : policy.EgressRules)
            {
                if (!RuleMatches(policy, ingress, rule, peer))
                {
                    continue;
                }

                PortSet ports = RulePorts(rule, destination);
                if (!ports.IsEmpty)
                {
                    allowed = allowed.Union(ports);
                    allowing.Add($"{policy} {(ingress ? "ingress" : "egress")}[{rule.Index}] ({ports})");
                }
            }
        }

        return new SideVerdict(true, allowed, selecting.Select(p => p.ToString()).ToList(), allowing);
    }

    /// <summary>The ports on which the connection is allowed (both sides), with each side's verdict.</summary>
    public (PortSet Allowed, SideVerdict Egress, SideVerdict Ingress) Evaluate(NetworkEndpoint source, NetworkEndpoint destination)
    {
        SideVerdict egress = Egress(source, destination);
        SideVerdict ingress = Ingress(source, destination);
        return (egress.Allowed.Intersect(ingress.Allowed), egress, ingress);
    }

    /// <summary>Only the allowed ports, without explanations: the fast path of maps and diffs.</summary>
    public PortSet AllowedPorts(NetworkEndpoint source, NetworkEndpoint destination)
    {
        PortSet egress = source.Pods is PodClass s ? Ports(egressOf[s.Id], false, destination, destination) : PortSet.All;
        if (egress.IsEmpty)
        {
            return egress;
        }

        PortSet ingress = destination.Pods is PodClass d ? Ports(ingressOf[d.Id], true, source, destination) : PortSet.All;
        return egress.Intersect(ingress);
    }

    private PortSet Ports(List<NetworkPolicyModel> selecting, bool ingress, NetworkEndpoint peer, NetworkEndpoint destination)
    {
        if (selecting.Count == 0)
        {
            return PortSet.All;
        }

        PortSet allowed = PortSet.None;
        foreach (NetworkPolicyModel policy in selecting)
        {
            foreach (PolicyRule rule in ingress ? policy.IngressRules : policy.EgressRules)
            {
                if (RuleMatches(policy, ingress, rule, peer))
                {
                    allowed = allowed.Union(RulePorts(rule, destination));
                    if (allowed.IsAll)
                    {
                        return allowed;
                    }
                }
            }
        }

        return allowed;
    }

    /// <summary>
    /// Addresses outside the cluster that stand for the external nodes of a map: every ipBlock the
    /// policies name (by an address inside it and not excepted), and one address no policy names.
    /// </summary>
    public List<NetworkEndpoint> ExternalEndpoints()
    {
        var blocks = policies.SelectMany(p => p.IngressRules.Concat(p.EgressRules)).Where(r => !r.AllPeers)
            .SelectMany(r => r.Peers!).Where(p => p.IpBlock is not null).Select(p => p.IpBlock!)
            .GroupBy(b => b.ToString(), StringComparer.Ordinal).Select(g => g.First()).ToList();
        var endpoints = new List<NetworkEndpoint>();
        foreach (IpBlock block in blocks)
        {
            if (Representative(block) is IPAddress address)
            {
                endpoints.Add(NetworkEndpoint.External(address, block.ToString()));
            }
        }

        IPAddress? elsewhere = new[] { "203.0.113.10", "198.51.100.10", "192.0.2.10", "2001:db8::10" }.Select(IPAddress.Parse)
            .FirstOrDefault(a => !blocks.Any(b => !b.IsEverything && b.Cidr.Contains(a)));
        if (elsewhere is not null)
        {
            endpoints.Add(NetworkEndpoint.External(elsewhere, "any other address"));
        }

        return endpoints;
    }

    private static IPAddress? Representative(IpBlock block)
    {
        byte[] bytes = block.Cidr.BaseAddress.GetAddressBytes();
        for (int attempt = 0; attempt < 256; attempt++)
        {
            bytes[^1]++;
            var candidate = new IPAddress(bytes);
            if (block.Contains(candidate))
            {
                return candidate;
            }
        }

        return block.Contains(block.Cidr.BaseAddress) ? block.Cidr.BaseAddress : null;
    }

    public IReadOnlyDictionary<string, string> LabelsOfNamespace(string ns) =>
        namespaceLabels.TryGetValue(ns, out var labels) ? labels : WithNameLabel(new Dictionary<string, string>(), ns);
}
