using System.Net;
using KubeSecurity.Core.Network.Calico;
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
public sealed partial class NetworkModel
{
    private readonly List<PodClass> classes = new();
    private readonly List<NetworkPolicyModel> policies = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> namespaceLabels = new(StringComparer.Ordinal);
    private List<NetworkPolicyModel>[] ingressOf = Array.Empty<List<NetworkPolicyModel>>();
    private List<NetworkPolicyModel>[] egressOf = Array.Empty<List<NetworkPolicyModel>>();
    private List<CalicoPolicyModel>[] calicoIngressOf = Array.Empty<List<CalicoPolicyModel>>();
    private List<CalicoPolicyModel>[] calicoEgressOf = Array.Empty<List<CalicoPolicyModel>>();
    private readonly List<CalicoPolicyModel> calicoPolicies = new();
    private readonly Dictionary<(NetworkPolicyModel, bool, int), bool[]> peerMatches = new();

    private NetworkModel()
    {
    }

    public IReadOnlyList<PodClass> Classes => classes;
    public IReadOnlyList<NetworkPolicyModel> Policies => policies;
    public IReadOnlyList<NetworkProblem> Problems { get; private set; } = Array.Empty<NetworkProblem>();

    /// <summary>Pods grouped into workloads by a guess (an ownerReference without a kind), one note each.</summary>
    public IReadOnlyList<string> GroupingNotes { get; private set; } = Array.Empty<string>();

    /// <summary>Namespaces the snapshot knows (Namespace objects and namespaces of pods or policies).</summary>
    public IReadOnlyCollection<string> Namespaces => namespaceLabels.Keys;

    /// <summary>Calico policies evaluated with their order and first-match rules.</summary>
    public IReadOnlyList<CalicoPolicyModel> CalicoPolicies => calicoPolicies;

    /// <summary>Calico policies found but not evaluated (they use what is not modeled): answers do not include their effect.</summary>
    public IReadOnlyList<ResourceRef> Unmodeled { get; private set; } = Array.Empty<ResourceRef>();

    public static NetworkModel Build(KubeSnapshot snapshot, IEnumerable<KubeObject>? replacementPolicies = null, CancellationToken cancellationToken = default)
    {
        var model = new NetworkModel();
        var problems = new List<NetworkProblem>();
        foreach (KubeObject ns in snapshot.OfKind("Namespace"))
        {
            model.namespaceLabels[ns.Name] = WithNameLabel(ns.Labels, ns.Name);
        }

        // Proposed policies replace those of the same kind, namespace and name (what-if).
        var proposed = (replacementPolicies ?? Enumerable.Empty<KubeObject>()).ToList();
        // A namespaced policy without metadata.namespace lives in "default", as the rest of the engine reads it.
        bool Replaced(KubeObject existing) => proposed.Any(n => n.ApiGroup == existing.ApiGroup && n.Kind == existing.Kind && EffectiveNamespace(n) == EffectiveNamespace(existing) && n.Name == existing.Name);
        var policyObjects = snapshot.OfKind("NetworkPolicy").Where(p => p.ApiGroup == "networking.k8s.io" && !Replaced(p))
            .Concat(proposed.Where(p => p.ApiGroup == "networking.k8s.io" && p.Kind == "NetworkPolicy")).ToList();
        var calicoObjects = snapshot.Objects.Where(o => CalicoPolicyReader.IsCalicoPolicy(o) && !Replaced(o)).Concat(proposed.Where(CalicoPolicyReader.IsCalicoPolicy)).ToList();
        var adminObjects = snapshot.Objects.Where(o => Admin.AdminPolicyReader.IsAdminPolicy(o) && !Replaced(o)).Concat(proposed.Where(Admin.AdminPolicyReader.IsAdminPolicy)).ToList();
        var ciliumObjects = snapshot.Objects.Where(o => Cilium.CiliumPolicyReader.IsCiliumPolicy(o) && !Replaced(o)).Concat(proposed.Where(Cilium.CiliumPolicyReader.IsCiliumPolicy)).ToList();

        foreach (KubeObject policy in policyObjects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (NetworkPolicyReader.Read(policy, problems) is NetworkPolicyModel parsed)
            {
                model.policies.Add(parsed);
                model.EnsureNamespace(parsed.Namespace);
            }
        }

        var byKey = new Dictionary<string, PodClass>(StringComparer.Ordinal);
        var groupingNotes = new List<string>();
        foreach (PodInstance pod in WorkloadPods.Find(snapshot, groupingNotes))
        {
            cancellationToken.ThrowIfCancellationRequested();
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

        model.ReadCalico(calicoObjects, problems);
        model.ReadAdmin(snapshot, adminObjects, problems);
        model.ReadCilium(ciliumObjects);
        model.ingressOf = new List<NetworkPolicyModel>[model.classes.Count];
        model.egressOf = new List<NetworkPolicyModel>[model.classes.Count];
        foreach (PodClass podClass in model.classes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var selecting = podClass.HostNetwork ? new List<NetworkPolicyModel>()
                : model.policies.Where(p => p.Namespace == podClass.Namespace && p.PodSelector.Matches(podClass.Labels)).ToList();
            model.ingressOf[podClass.Id] = selecting.Where(p => p.AffectsIngress).ToList();
            model.egressOf[podClass.Id] = selecting.Where(p => p.AffectsEgress).ToList();
        }

        model.calicoIngressOf = new List<CalicoPolicyModel>[model.classes.Count];
        model.calicoEgressOf = new List<CalicoPolicyModel>[model.classes.Count];
        foreach (PodClass podClass in model.classes)
        {
            var selecting = model.calicoPolicies.Where(p => p.Selects(podClass)).ToList();
            model.calicoIngressOf[podClass.Id] = selecting.Where(p => p.AffectsIngress).ToList();
            model.calicoEgressOf[podClass.Id] = selecting.Where(p => p.AffectsEgress).ToList();
        }

        model.IndexCilium();
        model.IndexAdmin();
        model.GroupingNotes = groupingNotes;
        model.Problems = problems;
        model.AssessCompleteness(snapshot, problems);
        return model;
    }

    /// <summary>The namespace a policy object lives in: null for cluster-scoped kinds, "default" when a namespaced one omits it.</summary>
    internal static string? EffectiveNamespace(KubeObject item) =>
        item.Kind is "GlobalNetworkPolicy" or "AdminNetworkPolicy" or "BaselineAdminNetworkPolicy" or "ClusterNetworkPolicy" or "CiliumClusterwideNetworkPolicy"
            ? null : item.Namespace ?? "default";

    private void ReadCalico(IEnumerable<KubeObject> policies, List<NetworkProblem> problems)
    {
        var addresses = classes.SelectMany(c => c.Addresses).ToHashSet();
        var unmodeled = new List<ResourceRef>();
        foreach (KubeObject policy in policies)
        {
            if (CalicoPolicyReader.Read(policy, addresses, out string? reason) is CalicoPolicyModel parsed)
            {
                calicoPolicies.Add(parsed);
            }
            else
            {
                unmodeled.Add(policy.ToResourceRef());
                problems.Add(new NetworkProblem(policy.ToResourceRef(), $"this Calico policy is not evaluated ({reason}): connectivity answers leave out what it allows or denies."));
            }
        }

        Unmodeled = unmodeled;
    }

    /// <summary>Whether any policy (Kubernetes, Calico, or Cilium with default deny) isolates the pods for ingress.</summary>
    public bool IsIngressIsolated(PodClass pods) => ingressOf[pods.Id].Count > 0 || calicoIngressOf[pods.Id].Count > 0 || CiliumIsolates(pods, true);

    public bool IsEgressIsolated(PodClass pods) => egressOf[pods.Id].Count > 0 || calicoEgressOf[pods.Id].Count > 0 || CiliumIsolates(pods, false);

    /// <summary>The names of every policy selecting the pods for ingress (Calico and Cilium ones marked).</summary>
    public IEnumerable<string> IngressPolicyNames(PodClass pods) => ingressOf[pods.Id].Select(p => p.Name).Concat(calicoIngressOf[pods.Id].Select(p => p.ToString())).Concat(ciliumIngressOf[pods.Id].Select(p => p.ToString()));

    public IEnumerable<string> EgressPolicyNames(PodClass pods) => egressOf[pods.Id].Select(p => p.Name).Concat(calicoEgressOf[pods.Id].Select(p => p.ToString())).Concat(ciliumEgressOf[pods.Id].Select(p => p.ToString()));

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
            IReadOnlyList<PolicyPeer> peers = rule.Peers!;
            for (int i = 0; i < peers.Count; i++)
            {
                if (PeerMatches(policy, peers[i], peer))
                {
                    return true;
                }
            }

            return false;
        }

        var key = (policy, ingress, rule.Index);
        if (!peerMatches.TryGetValue(key, out bool[]? matches))
        {
            matches = new bool[classes.Count];
            IReadOnlyList<PolicyPeer> peers = rule.Peers!;
            foreach (PodClass candidate in classes)
            {
                NetworkEndpoint endpoint = NetworkEndpoint.Of(candidate);
                for (int i = 0; i < peers.Count && !matches[candidate.Id]; i++)
                {
                    matches[candidate.Id] = PeerMatches(policy, peers[i], endpoint);
                }
            }

            peerMatches[key] = matches;
        }

        return matches[peer.Pods.Id];
    }

    /// <summary>The ports a rule allows towards a destination: named ports resolve against the destination pods.</summary>
    public static PortSet RulePorts(PolicyRule rule, NetworkEndpoint destination) =>
        rule.HasNamedPorts ? WithNamedPorts(rule.NumberedPorts, rule.Ports!, destination, anyProtocol: false) : rule.NumberedPorts;

    /// <summary>
    /// A rule's numbered ports plus its named ports resolved on the destination pods (each named
    /// port with its own protocol, or, for admin policies' namedPort, whatever protocol the
    /// container port has). Outside addresses have no named ports.
    /// </summary>
    internal static PortSet WithNamedPorts(PortSet numbered, IReadOnlyList<PolicyPort> ports, NetworkEndpoint destination, bool anyProtocol)
    {
        PortSet set = numbered;
        if (destination.Pods is not PodClass pods)
        {
            return set;
        }

        foreach (PolicyPort port in ports)
        {
            if (port.Name is null)
            {
                continue;
            }

            if (!anyProtocol)
            {
                set = set.Union(pods.Resolve(port.Name, port.Protocol));
                continue;
            }

            foreach (string protocol in PortSet.Protocols)
            {
                set = set.Union(pods.Resolve(port.Name, protocol));
            }
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

        return HasAdminTier(pods, true) ? Tiered(pods, true, source, destination, explain: true) : PolicySide(pods, true, source, destination);
    }

    /// <summary>What the source's egress allows to the destination.</summary>
    public SideVerdict Egress(NetworkEndpoint source, NetworkEndpoint destination)
    {
        if (source.Pods is not PodClass pods)
        {
            return new SideVerdict(false, PortSet.All, Array.Empty<string>(), Array.Empty<string>());
        }

        return HasAdminTier(pods, false) ? Tiered(pods, false, source, destination, explain: true) : PolicySide(pods, false, source, destination);
    }

    /// <summary>Only the ports one side allows under NetworkPolicy (and Calico): the fast path of maps.</summary>
    private PortSet PolicyPorts(PodClass pods, bool ingress, NetworkEndpoint source, NetworkEndpoint destination)
    {
        List<CalicoPolicyModel> calico = ingress ? calicoIngressOf[pods.Id] : calicoEgressOf[pods.Id];
        List<NetworkPolicyModel> kubernetes = ingress ? ingressOf[pods.Id] : egressOf[pods.Id];
        if ((ingress ? ciliumIngressOf[pods.Id] : ciliumEgressOf[pods.Id]).Count > 0)
        {
            return WithCilium(PolicySideVerdict(pods, ingress, source, destination), pods, ingress, source, destination, explain: false).Allowed;
        }

        return calico.Count > 0 ? Ordered(kubernetes, calico, ingress, source, destination).Allowed : Ports(kubernetes, ingress, ingress ? source : destination, destination);
    }

    /// <summary>One side as NetworkPolicy, Calico and Cilium decide it.</summary>
    private SideVerdict PolicySide(PodClass pods, bool ingress, NetworkEndpoint source, NetworkEndpoint destination)
    {
        SideVerdict kubernetes = PolicySideVerdict(pods, ingress, source, destination);
        return (ingress ? ciliumIngressOf[pods.Id] : ciliumEgressOf[pods.Id]).Count > 0 ? WithCilium(kubernetes, pods, ingress, source, destination, explain: true) : kubernetes;
    }

    /// <summary>One side as NetworkPolicy (and Calico, where a Calico policy selects the pods) decides it.</summary>
    private SideVerdict PolicySideVerdict(PodClass pods, bool ingress, NetworkEndpoint source, NetworkEndpoint destination)
    {
        List<CalicoPolicyModel> calico = ingress ? calicoIngressOf[pods.Id] : calicoEgressOf[pods.Id];
        List<NetworkPolicyModel> kubernetes = ingress ? ingressOf[pods.Id] : egressOf[pods.Id];
        return calico.Count > 0 ? Ordered(kubernetes, calico, ingress, source, destination) : Side(kubernetes, ingress, source, destination);
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

    /// <summary>
    /// Calico's evaluation, used when a Calico policy selects the pods: policies in order (Kubernetes
    /// NetworkPolicies count as order 1000, a Calico policy without order comes last), rules in
    /// order, the first rule matching a port decides it (Allow or Deny; Log goes on); whatever no
    /// rule decided is denied, because policies select the pods.
    /// </summary>
    private SideVerdict Ordered(List<NetworkPolicyModel> kubernetes, List<CalicoPolicyModel> calico, bool ingress, NetworkEndpoint source, NetworkEndpoint destination)
    {
        NetworkEndpoint peer = ingress ? source : destination;
        var entries = calico.Select(p => (Order: p.Order ?? double.MaxValue, p.Name, Calico: (CalicoPolicyModel?)p, Kubernetes: (NetworkPolicyModel?)null))
            .Concat(kubernetes.Select(p => (Order: 1000d, p.Name, Calico: (CalicoPolicyModel?)null, Kubernetes: (NetworkPolicyModel?)p)))
            .OrderBy(e => e.Order).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
        PortSet remaining = PortSet.All;
        PortSet allowed = PortSet.None;
        var deciding = new List<string>();
        foreach (var entry in entries)
        {
            if (entry.Kubernetes is NetworkPolicyModel k8s)
            {
                foreach (PolicyRule rule in ingress ? k8s.IngressRules : k8s.EgressRules)
                {
                    PortSet ports = RuleMatches(k8s, ingress, rule, peer) ? RulePorts(rule, destination).Intersect(remaining) : PortSet.None;
                    if (!ports.IsEmpty)
                    {
                        allowed = allowed.Union(ports);
                        remaining = remaining.Except(ports);
                        deciding.Add($"{k8s} {(ingress ? "ingress" : "egress")}[{rule.Index}] ({ports})");
                    }
                }

                continue;
            }

            CalicoPolicyModel policy = entry.Calico!;
            foreach (CalicoRule rule in ingress ? policy.IngressRules : policy.EgressRules)
            {
                if (rule.Action == "Log" || !policy.PeerMatches(rule.Peer, peer))
                {
                    continue;
                }

                PortSet ports = CalicoPolicyModel.RulePorts(rule, destination).Intersect(remaining);
                if (ports.IsEmpty)
                {
                    continue;
                }

                remaining = remaining.Except(ports);
                if (rule.Action == "Allow")
                {
                    allowed = allowed.Union(ports);
                    deciding.Add($"{policy} {(ingress ? "ingress" : "egress")}[{rule.Index}] Allow ({ports})");
                }
            }
        }

        return new SideVerdict(true, allowed, entries.Select(e => e.Calico?.ToString() ?? e.Kubernetes!.ToString()).ToList(), deciding);
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
        PortSet egress = source.Pods is not PodClass s ? PortSet.All
            : HasAdminTier(s, false) ? Tiered(s, false, source, destination, explain: false).Allowed
            : PolicyPorts(s, false, source, destination);
        if (egress.IsEmpty)
        {
            return egress;
        }

        PortSet ingress = destination.Pods is not PodClass d ? PortSet.All
            : HasAdminTier(d, true) ? Tiered(d, true, source, destination, explain: false).Allowed
            : PolicyPorts(d, true, source, destination);
        return egress.Intersect(ingress);
    }

    private PortSet Ports(List<NetworkPolicyModel> selecting, bool ingress, NetworkEndpoint peer, NetworkEndpoint destination)
    {
        if (selecting.Count == 0)
        {
            return PortSet.All;
        }

        PortSet allowed = PortSet.None;
        // Indexed loops: a foreach over IReadOnlyList boxes an enumerator, and maps run this per pair of classes.
        for (int p = 0; p < selecting.Count; p++)
        {
            NetworkPolicyModel policy = selecting[p];
            IReadOnlyList<PolicyRule> rules = ingress ? policy.IngressRules : policy.EgressRules;
            for (int r = 0; r < rules.Count; r++)
            {
                PolicyRule rule = rules[r];
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
