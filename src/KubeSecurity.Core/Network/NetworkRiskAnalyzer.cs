using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>
/// Findings from the semantic model, not from the mere presence of policies: an empty podSelector
/// selects every pod, an empty rule list denies, a rule without peers allows everyone.
/// </summary>
public static class NetworkRiskAnalyzer
{
    // Namespaces meant to hold no workloads; a default-deny there would guard nothing anyone deploys.
    private static readonly HashSet<string> NoWorkloadNamespaces = new(StringComparer.Ordinal) { "kube-public", "kube-node-lease" };

    public static List<Finding> Analyze(NetworkModel model, KubeSnapshot? snapshot = null)
    {
        var findings = new List<Finding>();
        var namespacesWithPolicies = model.Policies.Select(p => p.Namespace).Concat(model.CalicoPolicies.Where(p => p.Namespace is not null).Select(p => p.Namespace!)).ToHashSet(StringComparer.Ordinal);
        bool globalPolicies = model.CalicoPolicies.Any(p => p.Namespace is null);
        foreach (IGrouping<string, PodClass> ns in model.Classes.GroupBy(c => c.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            List<ResourceRef> workloads = ns.SelectMany(c => c.Workloads).Distinct().ToList();
            if (!namespacesWithPolicies.Contains(ns.Key) && !(globalPolicies && ns.Any(model.IsIngressIsolated)))
            {
                // Admin policies may still restrict these pods: the message says so rather than "from anywhere".
                var admin = ns.SelectMany(model.AdminPolicyNames).Distinct(StringComparer.Ordinal).ToList();
                var evidence = new EvidenceDictionary { ["Workloads"] = string.Join(", ", workloads.Select(w => $"{w.Kind}/{w.Name}")) };
                if (admin.Count > 0)
                {
                    evidence["AdminPolicies"] = string.Join(", ", admin);
                }

                findings.Add(RuleCatalog.CreateFinding(NetworkRules.NamespaceWithoutPolicy, new ResourceRef("Namespace", null, ns.Key),
                    admin.Count == 0
                        ? $"Namespace {ns.Key} has no NetworkPolicy: its {workloads.Count} workload(s) accept connections from anywhere and connect anywhere."
                        : $"Namespace {ns.Key} has no NetworkPolicy: its {workloads.Count} workload(s) accept and open every connection the cluster-wide admin policies ({string.Join(", ", admin)}) do not deny.",
                    evidence));
                continue;
            }

            foreach (ResourceRef workload in workloads)
            {
                List<PodClass> pods = ns.Where(c => c.Workloads.Contains(workload) && !c.HostNetwork).ToList();
                if (pods.Count == 0)
                {
                    continue;
                }

                if (pods.Any(c => !model.IsIngressIsolated(c)))
                {
                    findings.Add(RuleCatalog.CreateFinding(NetworkRules.IngressNotIsolated, workload,
                        $"{workload} is selected by no ingress policy although namespace {ns.Key} has policies: its pods accept connections from anywhere."));
                }

                if (pods.Any(c => !model.IsEgressIsolated(c)))
                {
                    findings.Add(RuleCatalog.CreateFinding(NetworkRules.EgressNotIsolated, workload,
                        $"{workload} is selected by no egress policy: its pods can connect anywhere."));
                }
            }
        }

        foreach (PodClass host in model.Classes.Where(c => c.HostNetwork))
        {
            foreach (ResourceRef workload in host.Workloads)
            {
                findings.Add(RuleCatalog.CreateFinding(NetworkRules.HostNetworkOutOfScope, workload,
                    $"{workload} runs on the host network; NetworkPolicy does not apply to it and connectivity answers leave it out."));
            }
        }

        EmptyNamespaces(model, globalPolicies, findings);
        PolicyFindings(model, findings);
        DnsFindings(model, findings);
        if (snapshot is not null)
        {
            IngressTls.Analyze(snapshot, findings);
        }

        // One finding per object (or missing kind) not evaluated, with the workloads whose answers it could change.
        foreach (IGrouping<ResourceRef, UnevaluatedPolicy> item in model.Unevaluated.GroupBy(u => u.Object))
        {
            var affected = model.Classes.Where(c => !c.HostNetwork && item.Any(u => u.Affects(c))).SelectMany(c => c.Workloads).Distinct().ToList();
            findings.Add(RuleCatalog.CreateFinding(NetworkRules.PolicyNotEvaluated, item.Key,
                $"{item.Key} is not evaluated ({string.Join("; ", item.Select(u => u.Reason))}): connectivity answers about the {affected.Count} workload(s) it could select are marked Partial.",
                new EvidenceDictionary
                {
                    ["Reason"] = string.Join("; ", item.Select(u => u.Reason)),
                    ["AffectedWorkloads"] = string.Join(", ", affected.Take(20)) + (affected.Count > 20 ? ", ..." : string.Empty),
                }));
        }

        return findings;
    }

    /// <summary>Namespaces with no workloads and no policy selecting every pod for ingress: the next workload starts open.</summary>
    private static void EmptyNamespaces(NetworkModel model, bool globalPolicies, List<Finding> findings)
    {
        if (globalPolicies)
        {
            return; // a cluster-wide Calico policy may isolate them; this analysis cannot say it does not
        }

        var withWorkloads = model.Classes.Select(c => c.Namespace).ToHashSet(StringComparer.Ordinal);
        var defaultDeny = model.Policies.Where(p => p.AffectsIngress && p.PodSelector.IsEmpty).Select(p => p.Namespace).ToHashSet(StringComparer.Ordinal);
        foreach (string ns in model.Namespaces.Order(StringComparer.Ordinal))
        {
            if (!withWorkloads.Contains(ns) && !defaultDeny.Contains(ns) && !NoWorkloadNamespaces.Contains(ns))
            {
                int policies = model.Policies.Count(p => p.Namespace == ns);
                findings.Add(RuleCatalog.CreateFinding(NetworkRules.EmptyNamespaceWithoutDefaultDeny, new ResourceRef("Namespace", null, ns),
                    $"Namespace {ns} has no workloads yet and {(policies == 0 ? "no NetworkPolicy" : $"{policies} NetworkPolicy(ies), none selecting every pod for ingress")}: the first workload deployed there accepts connections from anywhere.",
                    new EvidenceDictionary { ["Policies"] = policies.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            }
        }
    }

    private static void PolicyFindings(NetworkModel model, List<Finding> findings)
    {
        var selectedBy = model.Policies.ToDictionary(p => p, p => model.SelectedBy(p).ToList());
        foreach (NetworkPolicyModel policy in model.Policies)
        {
            List<PodClass> selected = selectedBy[policy];
            if (selected.Count == 0)
            {
                findings.Add(RuleCatalog.CreateFinding(NetworkRules.PolicySelectsNothing, policy.Ref,
                    $"{policy.Ref} selects no pod or workload of namespace {policy.Namespace} (podSelector {policy.PodSelector}).",
                    new EvidenceDictionary { ["PodSelector"] = policy.PodSelector.ToString() }));
            }

            foreach (PolicyRule rule in policy.AffectsIngress ? policy.IngressRules : Array.Empty<PolicyRule>())
            {
                string? anywhere = rule.AllPeers ? "it has no 'from', so every pod and address may connect"
                    : rule.Peers!.Where(p => p.IpBlock is { IsEverything: true } || (p.NamespaceSelector is { IsEmpty: true } && (p.PodSelector is null || p.PodSelector.IsEmpty)))
                        .Select(p => $"its peer '{p}' matches {(p.IpBlock is null ? "every pod of every namespace" : "every address")}").FirstOrDefault();
                if (anywhere is not null)
                {
                    findings.Add(RuleCatalog.CreateFinding(NetworkRules.IngressFromAnywhere, policy.Ref,
                        $"Ingress rule {rule.Index} of {policy.Ref} allows connections from anywhere to {Describe(selected)}: {anywhere}{(rule.AllPorts ? ", on every port" : string.Empty)}.",
                        Evidence(rule), rule.AllPorts ? Severity.High : null));
                }

                NamedPortFindings(policy, rule, "ingress", selected, findings);
            }

            foreach (PolicyRule rule in policy.AffectsEgress ? policy.EgressRules : Array.Empty<PolicyRule>())
            {
                bool everywhere = rule.AllPeers || rule.Peers!.Any(p => p.IpBlock is { IsEverything: true });
                if (everywhere && rule.AllPorts)
                {
                    findings.Add(RuleCatalog.CreateFinding(NetworkRules.UnrestrictedEgress, policy.Ref,
                        $"Egress rule {rule.Index} of {policy.Ref} lets {Describe(selected)} connect to every destination on every port.", Evidence(rule)));
                }

                // The destinations matter only to a named port; most rules name none, and matching every
                // pod group against every egress rule was most of this analysis's cost.
                if (NamesAPort(rule))
                {
                    NamedPortFindings(policy, rule, "egress", Destinations(model, policy, rule), findings);
                }
            }

            foreach ((bool ingress, string direction) in new[] { (true, "ingress"), (false, "egress") })
            {
                if (selected.Count == 0 || !(ingress ? policy.AffectsIngress : policy.AffectsEgress))
                {
                    continue;
                }

                if (Broader(model, policy, ingress, selected, selectedBy) is NetworkPolicyModel broader)
                {
                    findings.Add(RuleCatalog.CreateFinding(NetworkRules.ShadowedPolicy, policy.Ref,
                        $"{policy.Ref} has no {direction} effect: {broader.Ref} selects the same pods and allows all {direction} traffic.",
                        new EvidenceDictionary { ["ShadowedBy"] = broader.Ref.ToString(), ["Direction"] = direction }));
                }
            }
        }
    }

    /// <summary>Another policy of the namespace that selects every pod this one does and allows all traffic in that direction, when this one does not.</summary>
    private static NetworkPolicyModel? Broader(NetworkModel model, NetworkPolicyModel policy, bool ingress, List<PodClass> selected, Dictionary<NetworkPolicyModel, List<PodClass>> selectedBy)
    {
        // A loop, not a query: every policy is compared with every other, and a lambda per pair allocated
        // more than the rest of the analysis.
        if (AllowsAll(ingress ? policy.IngressRules : policy.EgressRules))
        {
            return null;
        }

        foreach (NetworkPolicyModel other in model.Policies)
        {
            if (ReferenceEquals(other, policy) || other.Namespace != policy.Namespace || !(ingress ? other.AffectsIngress : other.AffectsEgress)
                || !AllowsAll(ingress ? other.IngressRules : other.EgressRules))
            {
                continue;
            }

            List<PodClass> selectedByOther = selectedBy[other];
            bool covers = true;
            foreach (PodClass pods in selected)
            {
                if (!selectedByOther.Contains(pods))
                {
                    covers = false;
                    break;
                }
            }

            if (covers)
            {
                return other;
            }
        }

        return null;
    }

    private static bool AllowsAll(IReadOnlyList<PolicyRule> rules)
    {
        foreach (PolicyRule rule in rules)
        {
            if (rule.AllPeers && rule.AllPorts)
            {
                return true;
            }
        }

        return false;
    }

    private static bool NamesAPort(PolicyRule rule)
    {
        foreach (PolicyPort port in rule.Ports ?? Enumerable.Empty<PolicyPort>())
        {
            if (port.Name is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static List<PodClass> Destinations(NetworkModel model, NetworkPolicyModel policy, PolicyRule rule)
    {
        if (rule.AllPeers)
        {
            return model.Classes.ToList();
        }

        var destinations = new List<PodClass>();
        foreach (PodClass candidate in model.Classes)
        {
            NetworkEndpoint endpoint = NetworkEndpoint.Of(candidate);
            foreach (PolicyPeer peer in rule.Peers!)
            {
                if (NetworkModel.PeerMatches(policy, peer, endpoint))
                {
                    destinations.Add(candidate);
                    break;
                }
            }
        }

        return destinations;
    }

    private static void NamedPortFindings(NetworkPolicyModel policy, PolicyRule rule, string direction, List<PodClass> destinations, List<Finding> findings)
    {
        foreach (PolicyPort port in rule.Ports?.Where(p => p.Name is not null) ?? Enumerable.Empty<PolicyPort>())
        {
            if (!destinations.Any(c => !c.Resolve(port.Name!, port.Protocol).IsEmpty))
            {
                findings.Add(RuleCatalog.CreateFinding(NetworkRules.UnresolvedNamedPort, policy.Ref,
                    $"{direction} rule {rule.Index} of {policy.Ref} names the port '{port.Name}' ({port.Protocol}), which no container of the {(destinations.Count == 0 ? "(no)" : destinations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} destination pod group(s) declares: the rule allows nothing on it.",
                    new EvidenceDictionary { ["Port"] = port.ToString(), ["Direction"] = direction }));
            }
        }
    }

    private static void DnsFindings(NetworkModel model, List<Finding> findings)
    {
        List<PodClass> dns = model.Classes.Where(c => c.Namespace == "kube-system" && c.Labels.TryGetValue("k8s-app", out string? app) && app == "kube-dns").ToList();
        if (dns.Count == 0)
        {
            return;
        }

        foreach (PodClass source in model.Classes.Where(c => !c.HostNetwork && model.IsEgressIsolated(c)))
        {
            NetworkEndpoint from = NetworkEndpoint.Of(source);
            if (dns.Any(d => model.Egress(from, NetworkEndpoint.Of(d)).Allowed.Contains("UDP", 53)))
            {
                continue;
            }

            foreach (ResourceRef workload in source.Workloads)
            {
                findings.Add(RuleCatalog.CreateFinding(NetworkRules.DnsBlocked, workload,
                    $"{workload} is isolated for egress by {string.Join(", ", model.EgressPolicyNames(source))} and no rule allows UDP/53 to the cluster DNS pods: its name lookups fail.",
                    new EvidenceDictionary { ["EgressPolicies"] = string.Join(", ", model.EgressPolicyNames(source)) }));
            }
        }
    }

    private static string Describe(List<PodClass> selected) =>
        selected.Count == 0 ? "no pods" : string.Join(", ", selected.SelectMany(c => c.Workloads).Distinct().Take(5)) + (selected.Count > 5 ? ", ..." : string.Empty);

    private static EvidenceDictionary Evidence(PolicyRule rule) => new()
    {
        ["Rule"] = rule.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Peers"] = rule.AllPeers ? "(all)" : string.Join("; ", rule.Peers!),
        ["Ports"] = rule.AllPorts ? "(all)" : string.Join(",", rule.Ports!),
    };
}
