using System.Net;
using KubeSecurity.Core.Selectors;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network.Admin;

/// <summary>What a rule of an admin policy does with the traffic it matches.</summary>
public enum AdminAction
{
    /// <summary>Allowed, whatever NetworkPolicies say (in an AdminNetworkPolicy) or unless a NetworkPolicy isolates the pod (in the baseline).</summary>
    Allow,

    /// <summary>Denied, whatever NetworkPolicies say (in an AdminNetworkPolicy).</summary>
    Deny,

    /// <summary>Skips the remaining AdminNetworkPolicies: NetworkPolicy (then the baseline) decides.</summary>
    Pass,
}

/// <summary>The pods an admin policy applies to: every pod of the selected namespaces, or the selected pods of the selected namespaces.</summary>
public sealed record AdminSubject(LabelSelector? Namespaces, LabelSelector? PodNamespaces, LabelSelector? Pods)
{
    public bool Selects(PodClass pods) =>
        !pods.HostNetwork && (Namespaces is not null ? Namespaces.Matches(pods.NamespaceLabels) : PodNamespaces!.Matches(pods.NamespaceLabels) && Pods!.Matches(pods.Labels));

    public override string ToString() => Namespaces is not null ? $"namespaces {Namespaces}" : $"pods {Pods} in namespaces {PodNamespaces}";
}

/// <summary>
/// One peer of an admin rule: namespaces, pods (namespace and pod selectors), and for egress also
/// nodes (by label) and networks (CIDRs).
/// </summary>
public sealed record AdminPeer(LabelSelector? Namespaces, LabelSelector? PodNamespaces, LabelSelector? Pods, IReadOnlyList<IPNetwork>? Networks, LabelSelector? Nodes)
{
    public override string ToString() =>
        Namespaces is not null ? $"namespaces {Namespaces}"
        : Pods is not null ? $"pods {Pods} in namespaces {PodNamespaces}"
        : Networks is not null ? $"networks {string.Join(",", Networks)}"
        : $"nodes {Nodes}";
}

/// <summary>One ingress or egress rule of an admin policy. Null ports: every port.</summary>
public sealed record AdminRule(int Index, string Name, AdminAction Action, IReadOnlyList<AdminPeer> Peers, IReadOnlyList<PolicyPort>? Ports)
{
    /// <summary>The ports given by number or range (all of them when Ports is null), computed once.</summary>
    internal PortSet NumberedPorts { get; } = Ports is null ? PortSet.All
        : Ports.Where(p => p.Name is null).Aggregate(PortSet.None, (set, p) => set.Union(PortSet.Of(p.Protocol, p.Port!.Value, p.EndPort ?? p.Port!.Value)));

    internal bool HasNamedPorts { get; } = Ports is not null && Ports.Any(p => p.Name is not null);

    // Which pod classes the peers match, filled by the model that read this rule (each build reads its own rules):
    // maps ask per pair of classes, and a dictionary lookup per rule per pair costs more than the answer.
    internal bool[]? PeerMatchesByClass { get; set; }
}

/// <summary>
/// An AdminNetworkPolicy or the BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1), as
/// the tiered evaluation needs it: AdminNetworkPolicies by priority (lower first) before
/// NetworkPolicy, the baseline after it and only for pods no NetworkPolicy isolates.
/// </summary>
public sealed class AdminPolicyModel
{
    public AdminPolicyModel(KubeObject source, bool baseline, int priority, AdminSubject subject, IReadOnlyList<AdminRule> ingressRules, IReadOnlyList<AdminRule> egressRules, IReadOnlyList<string> unevaluated)
    {
        Source = source;
        Baseline = baseline;
        Priority = priority;
        Subject = subject;
        IngressRules = ingressRules;
        EgressRules = egressRules;
        Unevaluated = unevaluated;
    }

    public KubeObject Source { get; }
    public bool Baseline { get; }

    /// <summary>0 (first) to 1000; the baseline has none (it always comes after NetworkPolicy).</summary>
    public int Priority { get; }

    public AdminSubject Subject { get; }
    public IReadOnlyList<AdminRule> IngressRules { get; }
    public IReadOnlyList<AdminRule> EgressRules { get; }

    /// <summary>Parts of the policy the model does not evaluate (sameLabels, notSameLabels): answers for its subject are partial.</summary>
    public IReadOnlyList<string> Unevaluated { get; }

    public string Kind => Baseline ? "BaselineAdminNetworkPolicy" : "AdminNetworkPolicy";
    public string Name => Source.Name;
    public ResourceRef Ref => new(Kind, null, Name);

    public override string ToString() => $"{Kind}/{Name}";
}
