using System.Net;
using KubeSecurity.Core.Selectors;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>An ipBlock: a CIDR minus its exceptions.</summary>
public sealed record IpBlock(IPNetwork Cidr, IReadOnlyList<IPNetwork> Except)
{
    public bool Contains(IPAddress address)
    {
        if (!Cidr.Contains(address))
        {
            return false;
        }

        for (int i = 0; i < Except.Count; i++)
        {
            if (Except[i].Contains(address))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether this block is all addresses of its family (0.0.0.0/0 or ::/0).</summary>
    public bool IsEverything => Cidr.PrefixLength == 0 && Except.Count == 0;

    public override string ToString() => Except.Count == 0 ? Cidr.ToString() : $"{Cidr} except {string.Join(",", Except)}";
}

/// <summary>
/// One peer of a rule: pods by podSelector (in the policy's namespace), by namespaceSelector (all
/// pods of matching namespaces), both at once (AND), or an ipBlock.
/// </summary>
public sealed record PolicyPeer(LabelSelector? PodSelector, LabelSelector? NamespaceSelector, IpBlock? IpBlock)
{
    public override string ToString() => IpBlock is not null ? $"ipBlock {IpBlock}"
        : $"{(NamespaceSelector is null ? "same namespace" : $"namespaces {NamespaceSelector}")}{(PodSelector is null ? string.Empty : $" pods {PodSelector}")}";
}

/// <summary>One port entry: a protocol and a number, a named port, a range (endPort), or every port of the protocol.</summary>
public sealed record PolicyPort(string Protocol, int? Port, string? Name, int? EndPort)
{
    public override string ToString() => $"{Protocol}/{(Name ?? (Port is null ? "any" : EndPort is null ? Port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Port}-{EndPort}")))}";
}

/// <summary>One ingress or egress rule. Null peers: every source or destination; null ports: every port.</summary>
public sealed record PolicyRule(int Index, IReadOnlyList<PolicyPeer>? Peers, IReadOnlyList<PolicyPort>? Ports)
{
    public bool AllPeers => Peers is null;
    public bool AllPorts => Ports is null;

    /// <summary>The ports given by number or range (all of them when Ports is null), computed once: maps ask per pair.</summary>
    internal PortSet NumberedPorts { get; } = Ports is null ? PortSet.All
        : Ports.Where(p => p.Name is null).Aggregate(PortSet.None, (set, p) => set.Union(p.Port is int number ? PortSet.Of(p.Protocol, number, p.EndPort ?? number) : PortSet.AllOf(p.Protocol)));

    /// <summary>Whether some port is named, so what the rule allows depends on the destination pods.</summary>
    internal bool HasNamedPorts { get; } = Ports is not null && Ports.Any(p => p.Name is not null);
}

/// <summary>A NetworkPolicy as the semantics need it, with policyTypes defaulted as the API server does.</summary>
public sealed class NetworkPolicyModel
{
    public NetworkPolicyModel(KubeObject source, LabelSelector podSelector, bool ingress, bool egress, IReadOnlyList<PolicyRule> ingressRules, IReadOnlyList<PolicyRule> egressRules)
    {
        Source = source;
        PodSelector = podSelector;
        AffectsIngress = ingress;
        AffectsEgress = egress;
        IngressRules = ingressRules;
        EgressRules = egressRules;
    }

    public KubeObject Source { get; }
    public string Namespace => Source.Namespace ?? "default";
    public string Name => Source.Name;
    public LabelSelector PodSelector { get; }
    public bool AffectsIngress { get; }
    public bool AffectsEgress { get; }
    public IReadOnlyList<PolicyRule> IngressRules { get; }
    public IReadOnlyList<PolicyRule> EgressRules { get; }

    public ResourceRef Ref => new("NetworkPolicy", Namespace, Name);

    public override string ToString() => $"{Namespace}/{Name}";
}
