using System.Net;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network.Calico;

/// <summary>A source or destination of a Calico rule: selectors and/or nets. Empty: anything.</summary>
public sealed record CalicoEntity(CalicoSelector? Selector, CalicoSelector? NamespaceSelector, IReadOnlyList<IPNetwork> Nets)
{
    public bool IsAnything => Selector is null && NamespaceSelector is null && Nets.Count == 0;
}

/// <summary>One Calico rule of the modeled subset: an action, a protocol, the peer entity and the destination ports.</summary>
public sealed record CalicoRule(int Index, string Action, string? Protocol, CalicoEntity Peer, IReadOnlyList<string> Ports);

/// <summary>
/// A Calico NetworkPolicy (namespaced) or GlobalNetworkPolicy: selector, namespace selector
/// (global only), order, types and ordered rules. Rules are evaluated in order, first match wins.
/// </summary>
public sealed class CalicoPolicyModel
{
    public CalicoPolicyModel(KubeObject source, double? order, CalicoSelector selector, CalicoSelector? namespaceSelector,
        bool ingress, bool egress, IReadOnlyList<CalicoRule> ingressRules, IReadOnlyList<CalicoRule> egressRules)
    {
        Source = source;
        Order = order;
        Selector = selector;
        NamespaceSelector = namespaceSelector;
        AffectsIngress = ingress;
        AffectsEgress = egress;
        IngressRules = ingressRules;
        EgressRules = egressRules;
    }

    public KubeObject Source { get; }

    /// <summary>Null for a GlobalNetworkPolicy.</summary>
    public string? Namespace => Source.Kind == "GlobalNetworkPolicy" ? null : Source.Namespace ?? "default";
    public string Name => Source.Name;
    public double? Order { get; }
    public CalicoSelector Selector { get; }
    public CalicoSelector? NamespaceSelector { get; }
    public bool AffectsIngress { get; }
    public bool AffectsEgress { get; }
    public IReadOnlyList<CalicoRule> IngressRules { get; }
    public IReadOnlyList<CalicoRule> EgressRules { get; }

    public bool Selects(PodClass pods) =>
        !pods.HostNetwork && Selector.Matches(pods.Labels)
        && (Namespace is null ? NamespaceSelector is null || NamespaceSelector.Matches(pods.NamespaceLabels) : Namespace == pods.Namespace);

    /// <summary>Whether the rule's peer entity matches the endpoint (pods by selectors, addresses by nets).</summary>
    public bool PeerMatches(CalicoEntity entity, NetworkEndpoint endpoint)
    {
        if (entity.IsAnything)
        {
            return true;
        }

        if (endpoint.Pods is PodClass pods)
        {
            if (entity.Nets.Count > 0 || (entity.Selector is null && entity.NamespaceSelector is null))
            {
                return false;
            }

            bool namespaceOk = entity.NamespaceSelector is not null ? entity.NamespaceSelector.Matches(pods.NamespaceLabels)
                : Namespace is null || pods.Namespace == Namespace;
            return namespaceOk && (entity.Selector is null || entity.Selector.Matches(pods.Labels));
        }

        return entity.Selector is null && entity.NamespaceSelector is null && entity.Nets.Any(n => n.Contains(endpoint.Address!));
    }

    public static PortSet RulePorts(CalicoRule rule, NetworkEndpoint destination)
    {
        if (rule.Protocol is null)
        {
            return PortSet.All;
        }

        if (rule.Ports.Count == 0)
        {
            return PortSet.AllOf(rule.Protocol);
        }

        PortSet set = PortSet.None;
        foreach (string port in rule.Ports)
        {
            string[] range = port.Split(':');
            set = set.Union(int.TryParse(range[0], out int low)
                ? PortSet.Of(rule.Protocol, low, range.Length == 2 ? int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture) : low)
                : destination.Pods?.Resolve(port, rule.Protocol) ?? PortSet.None);
        }

        return set;
    }

    public ResourceRef Ref => Source.ToResourceRef();

    public override string ToString() => Namespace is null ? $"GlobalNetworkPolicy/{Name}" : $"{Namespace}/{Name} (Calico)";
}
