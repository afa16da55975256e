using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Network.Admin;
using KubeSecurity.Core.Selectors;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>A policy object (or a missing kind) the model does not evaluate, and the pods whose answers it could change.</summary>
public sealed record UnevaluatedPolicy(ResourceRef Object, string Reason, Func<PodClass, bool> Affects)
{
    public override string ToString() => $"{Object}: {Reason}";
}

/// <summary>
/// Completeness: which answers could be changed by something the model does not evaluate. Calico
/// policies using unmodelled features, admin policies' unevaluated parts, equal AdminNetworkPolicy
/// priorities (their order is undefined), Cilium's L7/FQDN/service parts, policy kinds not modelled (ClusterNetworkPolicy,
/// Antrea, OVN-Kubernetes networks and egress firewalls, MultiNetworkPolicy, service-mesh
/// authorization) and network kinds that could not be collected each mark the pods they could
/// select; an answer involving such pods is Partial and names them.
/// </summary>
public sealed partial class NetworkModel
{
    private readonly List<UnevaluatedPolicy> unevaluated = new();
    private string[][] notesOf = Array.Empty<string[]>();

    // Policy-like kinds of other projects, by API group: they can allow or deny pod traffic, and are not modelled.
    private static readonly Dictionary<string, string> UnmodelledGroups = new(StringComparer.Ordinal)
    {
        ["crd.antrea.io"] = "Antrea policies are not evaluated",
        ["k8s.ovn.org"] = "OVN-Kubernetes networks and egress firewalls are not evaluated",
        ["k8s.cni.cncf.io"] = "MultiNetworkPolicy (secondary networks) is not evaluated",
        ["security.istio.io"] = "Istio authorization is not evaluated",
        ["policy.linkerd.io"] = "Linkerd authorization is not evaluated",
    };

    private static readonly HashSet<string> UnmodelledKinds = new(StringComparer.Ordinal)
    {
        "NetworkPolicy", "ClusterNetworkPolicy", "MultiNetworkPolicy",
        "UserDefinedNetwork", "ClusterUserDefinedNetwork", "EgressFirewall", "AdminPolicyBasedExternalRoute", "AuthorizationPolicy", "Server",
    };

    // Kinds whose absence makes every answer partial: without them the model cannot know what isolates what.
    private static readonly string[] NetworkInputs = { "Pod", "Namespace", "NetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy" };

    // Where pod addresses usually come from: a networks peer over these may select pods whose addresses the snapshot does not hold.
    private static readonly System.Net.IPNetwork[] PrivateRanges =
        new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7" }.Select(System.Net.IPNetwork.Parse).ToArray();

    /// <summary>Everything not evaluated that could change some answer, with the pods it could affect.</summary>
    public IReadOnlyList<UnevaluatedPolicy> Unevaluated => unevaluated;

    private void AssessCompleteness(KubeSnapshot snapshot, List<NetworkProblem> problems)
    {
        foreach (ResourceRef calico in Unmodeled)
        {
            string? ns = calico.Namespace;
            unevaluated.Add(new UnevaluatedPolicy(calico, "uses Calico features the model does not evaluate", c => ns is null || c.Namespace == ns));
        }

        foreach ((ResourceRef cilium, string reason, string? ns, bool clusterwide) in ciliumUnmodelled)
        {
            unevaluated.Add(new UnevaluatedPolicy(cilium, reason, c => clusterwide || c.Namespace == ns));
        }

        foreach (Cilium.CiliumPolicyModel policy in ciliumPolicies.Where(p => p.Unevaluated.Count > 0))
        {
            unevaluated.Add(new UnevaluatedPolicy(policy.Ref, string.Join("; ", policy.Unevaluated), policy.Selects));
        }

        foreach (AdminPolicyModel policy in adminPolicies.Append(baselinePolicy).OfType<AdminPolicyModel>().Where(p => p.Unevaluated.Count > 0))
        {
            unevaluated.Add(new UnevaluatedPolicy(policy.Ref, string.Join("; ", policy.Unevaluated), policy.Subject.Selects));
        }

        // An admin egress "networks" peer selects pod addresses too: where some pods' addresses are unknown
        // (manifests), whether it applies to them cannot be told, and the subject's answers say so.
        if (classes.Any(c => !c.HostNetwork && c.Addresses.Count == 0))
        {
            foreach (AdminPolicyModel policy in adminPolicies.Append(baselinePolicy).OfType<AdminPolicyModel>())
            {
                // Rules after one that takes every pod on every port (namespaces: {} without ports) never see a pod.
                int everyPod = policy.EgressRules.ToList().FindIndex(r => r.Ports is null && r.Peers.Any(p => p.Namespaces is { IsEmpty: true }));
                var overlapping = policy.EgressRules.Take(everyPod < 0 ? int.MaxValue : everyPod).SelectMany(r => r.Peers).Where(p => p.Networks is not null).SelectMany(p => p.Networks!)
                    .Where(n => PrivateRanges.Any(r => r.BaseAddress.AddressFamily == n.BaseAddress.AddressFamily && (r.Contains(n.BaseAddress) || n.Contains(r.BaseAddress)))).ToList();
                if (overlapping.Count > 0)
                {
                    unevaluated.Add(new UnevaluatedPolicy(policy.Ref,
                        $"its egress networks {string.Join(", ", overlapping)} may hold pod addresses the input does not give, so whether they select those pods is not known",
                        policy.Subject.Selects));
                }
            }
        }

        foreach (IGrouping<int, AdminPolicyModel> tie in adminPolicies.GroupBy(p => p.Priority).Where(g => g.Count() > 1))
        {
            var tied = tie.ToList();
            // Only pods two of them select together have an undefined order; disjoint subjects are no tie.
            if (!classes.Any(c => tied.Count(p => p.Subject.Selects(c)) > 1))
            {
                continue;
            }

            unevaluated.Add(new UnevaluatedPolicy(tied[0].Ref,
                $"shares priority {tie.Key} with {string.Join(", ", tied.Skip(1))}: the API leaves their order undefined, so where both match the answer takes them by name",
                c => tied.Count(p => p.Subject.Selects(c)) > 1));
        }

        foreach (KubeObject item in snapshot.Objects)
        {
            if (IsUnmodelledPolicy(item, out string reason))
            {
                unevaluated.Add(new UnevaluatedPolicy(item.ToResourceRef(), reason, Scope(item)));
            }
        }

        foreach (MissingKind missing in snapshot.MissingKinds.Where(m => NetworkInputs.Contains(m.Kind, StringComparer.Ordinal)))
        {
            unevaluated.Add(new UnevaluatedPolicy(new ResourceRef(missing.Kind, null, "*"), $"{missing.Kind} objects could not be collected ({missing.Reason})", _ => true));
        }

        notesOf = new string[classes.Count][];
        foreach (PodClass podClass in classes)
        {
            notesOf[podClass.Id] = podClass.HostNetwork ? Array.Empty<string>()
                : unevaluated.Where(u => u.Affects(podClass)).Select(u => u.ToString()).ToArray();
        }
    }

    private static bool IsUnmodelledPolicy(KubeObject item, out string reason)
    {
        reason = string.Empty;
        if (item.ApiGroup == AdminPolicyReader.Group && item.Kind == "ClusterNetworkPolicy")
        {
            reason = "ClusterNetworkPolicy (policy.networking.k8s.io v1alpha2) is not evaluated; AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1) are";
            return true;
        }

        if (UnmodelledGroups.TryGetValue(item.ApiGroup, out string? groupReason) && UnmodelledKinds.Contains(item.Kind))
        {
            reason = groupReason;
            return true;
        }

        // Any other project's *NetworkPolicy kind: it exists to allow or deny traffic.
        if (item.Kind.EndsWith("NetworkPolicy", StringComparison.Ordinal) && item.ApiGroup is not ("networking.k8s.io" or AdminPolicyReader.Group or "projectcalico.org" or "crd.projectcalico.org" or Cilium.CiliumPolicyReader.Group)
            && !UnmodelledGroups.ContainsKey(item.ApiGroup))
        {
            reason = $"{item.ApiVersion} {item.Kind} is not a policy kind the model evaluates";
            return true;
        }

        return false;
    }

    /// <summary>The pods an unmodelled object could select: its namespace's, or every pod for a cluster-wide one.</summary>
    private static Func<PodClass, bool> Scope(KubeObject item)
    {
        string? ns = item.Namespace;
        bool knownNamespaced = item.Kind is "NetworkPolicy" or "MultiNetworkPolicy" or "UserDefinedNetwork" or "EgressFirewall" or "AuthorizationPolicy" or "Server";
        bool clusterWide = item.Kind is "ClusterNetworkPolicy" or "ClusterUserDefinedNetwork" or "AdminPolicyBasedExternalRoute"
            || (ns is null && !knownNamespaced)
            || (item.ApiGroup == "security.istio.io" && ns == "istio-system"); // the mesh's root namespace applies everywhere
        return clusterWide ? _ => true : c => c.Namespace == (ns ?? "default");
    }

    /// <summary>Why answers involving these pods are not exact (empty when they are).</summary>
    public IReadOnlyList<string> CompletenessNotes(PodClass? pods) => pods is null ? Array.Empty<string>() : notesOf[pods.Id];

    /// <summary>Completeness of an answer about a connection between two endpoints.</summary>
    public (NetworkCompleteness Completeness, IReadOnlyList<string> Notes) CompletenessOf(NetworkEndpoint source, NetworkEndpoint destination)
    {
        if (ConnectivityVerdict.IsOutOfScope(source) || ConnectivityVerdict.IsOutOfScope(destination))
        {
            return (NetworkCompleteness.OutOfScope, new[] { ConnectivityVerdict.OutOfScopeReason });
        }

        IReadOnlyList<string> from = CompletenessNotes(source.Pods);
        IReadOnlyList<string> to = CompletenessNotes(destination.Pods);
        if (from.Count == 0 && to.Count == 0)
        {
            return (NetworkCompleteness.Exact, Array.Empty<string>());
        }

        return (NetworkCompleteness.Partial, to.Count == 0 ? from : from.Count == 0 ? to : from.Union(to, StringComparer.Ordinal).ToList());
    }
}
