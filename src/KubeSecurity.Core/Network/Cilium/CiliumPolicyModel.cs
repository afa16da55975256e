using KubeSecurity.Core.Selectors;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network.Cilium;

/// <summary>
/// One L3 peer of a Cilium rule: endpoints by label selector (in the policy's namespace unless the
/// selector names io.kubernetes.pod.namespace, for a namespaced policy), a CIDR set, or entities.
/// </summary>
public sealed record CiliumPeer(LabelSelector? Endpoints, bool SameNamespaceOnly, IpBlock? Cidr, string? Entity)
{
    public override string ToString() => Endpoints is not null ? $"endpoints {Endpoints}" : Cidr is not null ? $"cidr {Cidr}" : $"entity {Entity}";
}

/// <summary>One ingress/egress (or ingressDeny/egressDeny) rule: peers (null: every peer) and ports (null: every port).</summary>
public sealed record CiliumRule(int Index, bool Deny, IReadOnlyList<CiliumPeer>? Peers, IReadOnlyList<PolicyPort>? Ports)
{
    internal PortSet NumberedPorts { get; } = Ports is null ? PortSet.All
        : Ports.Where(p => p.Name is null).Aggregate(PortSet.None, (set, p) => set.Union(p.Port is int n ? PortSet.Of(p.Protocol, n, p.EndPort ?? n) : PortSet.AllOf(p.Protocol)));

    internal bool HasNamedPorts { get; } = Ports is not null && Ports.Any(p => p.Name is not null);

    internal bool[]? PeerMatchesByClass { get; set; }
}

/// <summary>
/// A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy (cilium.io/v2), one per spec, at L3/L4:
/// the endpoints it selects become default-deny in a direction when it has rules for that
/// direction (unless enableDefaultDeny turns that off); allows add up with NetworkPolicy's; deny
/// rules win over every allow. L7 rules, FQDNs, services, cloud groups and node (host) policies
/// are not evaluated: Unevaluated says which, and answers for the selected pods are partial.
/// </summary>
public sealed class CiliumPolicyModel
{
    public CiliumPolicyModel(KubeObject source, int spec, LabelSelector selector, bool defaultDenyIngress, bool defaultDenyEgress,
        IReadOnlyList<CiliumRule> ingress, IReadOnlyList<CiliumRule> egress, bool hasIngress, bool hasEgress, IReadOnlyList<string> unevaluated)
    {
        Source = source;
        Spec = spec;
        Selector = selector;
        DefaultDenyIngress = defaultDenyIngress;
        DefaultDenyEgress = defaultDenyEgress;
        IngressRules = ingress;
        EgressRules = egress;
        HasIngress = hasIngress;
        HasEgress = hasEgress;
        Unevaluated = unevaluated;
    }

    public KubeObject Source { get; }
    public int Spec { get; }
    public bool Clusterwide => Source.Kind == "CiliumClusterwideNetworkPolicy";
    public string? Namespace => Clusterwide ? null : Source.Namespace ?? "default";
    public LabelSelector Selector { get; }
    public bool DefaultDenyIngress { get; }
    public bool DefaultDenyEgress { get; }
    public IReadOnlyList<CiliumRule> IngressRules { get; }
    public IReadOnlyList<CiliumRule> EgressRules { get; }
    public bool HasIngress { get; }
    public bool HasEgress { get; }
    public IReadOnlyList<string> Unevaluated { get; }

    public ResourceRef Ref => Source.ToResourceRef();

    public bool Selects(PodClass pods) =>
        !pods.HostNetwork && (Namespace is null || Namespace == pods.Namespace) && Selector.Matches(CiliumLabels.Of(pods));

    public override string ToString() => $"{Source.Kind}/{(Namespace is null ? string.Empty : Namespace + "/")}{Source.Name}{(Spec > 0 ? $"[spec {Spec}]" : string.Empty)}";
}

/// <summary>The labels Cilium sees on a pod's endpoint: its own, its namespace's name and its namespace's labels.</summary>
internal static class CiliumLabels
{
    public const string PodNamespace = "io.kubernetes.pod.namespace";
    public const string NamespaceLabelPrefix = "io.cilium.k8s.namespace.labels.";

    public static Dictionary<string, string> Of(PodClass pods)
    {
        var labels = new Dictionary<string, string>(pods.Labels, StringComparer.Ordinal) { [PodNamespace] = pods.Namespace };
        foreach (var label in pods.NamespaceLabels)
        {
            labels[NamespaceLabelPrefix + label.Key] = label.Value;
        }

        return labels;
    }

    /// <summary>A selector key without its source prefix (k8s:app, any:app); null when the source is one the model does not see (reserved:, container:, ...).</summary>
    public static string? StripSource(string key)
    {
        int colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || key.IndexOf('/', StringComparison.Ordinal) is int slash && slash >= 0 && slash < colon)
        {
            return key;
        }

        string source = key[..colon];
        return source is "k8s" or "any" ? key[(colon + 1)..] : null;
    }
}
