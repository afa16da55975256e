using KubeSecurity.Core.Network;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Network.NetworkFixtures;

namespace KubeSecurity.Core.Tests.Network;

/// <summary>
/// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy at L3/L4, on scenarios whose answers follow
/// from Cilium's policy language: selected endpoints go default-deny per direction with rules,
/// allows add up with NetworkPolicy's, deny rules win, endpoint selectors of a namespaced policy stay
/// in its namespace, entities and CIDRs name what is outside.
/// </summary>
public class CiliumTests
{
    private static readonly string Cluster =
        Namespace("shop", "{team: shop}") + Namespace("payments", "{team: payments}") +
        Pod("shop", "web", "{app: web}") + Pod("payments", "api", "{app: api}", "[{name: https, containerPort: 8443}]") + Pod("payments", "worker", "{app: worker}");

    private static string Cnp(string name, string ns, string spec) =>
        $"---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n{spec}";

    private static string Ccnp(string name, string spec) =>
        $"---\napiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {{name: {name}}}\nspec:\n{spec}";

    [Fact]
    public void A_selected_endpoint_is_default_deny_for_the_direction_its_policy_has_rules_for()
    {
        NetworkModel model = Build(Cluster + Cnp("api", "payments", "  endpointSelector: {matchLabels: {app: api}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: worker}}]\n"));
        Assert.True(Allowed(model, "payments/worker", "payments/api"));
        Assert.False(Allowed(model, "shop/web", "payments/api")); // fromEndpoints of a namespaced policy: its own namespace only
        Assert.True(Allowed(model, "payments/api", "shop/web")); // egress is not isolated
        Assert.Equal(NetworkCompleteness.Exact, ConnectivityVerdict.Decide(model, At(model, "shop/web"), At(model, "payments/api"), "TCP", 80).Completeness);
    }

    [Fact]
    public void The_namespace_label_reaches_other_namespaces_and_namespace_labels_are_visible()
    {
        NetworkModel byName = Build(Cluster + Cnp("api", "payments", "  endpointSelector: {matchLabels: {app: api}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {\"k8s:io.kubernetes.pod.namespace\": shop}}]\n"));
        Assert.True(Allowed(byName, "shop/web", "payments/api"));
        Assert.False(Allowed(byName, "payments/worker", "payments/api"));

        NetworkModel byLabel = Build(Cluster + Cnp("api", "payments", "  endpointSelector: {matchLabels: {app: api}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {io.kubernetes.pod.namespace: shop, io.cilium.k8s.namespace.labels.team: shop}}]\n"));
        Assert.True(Allowed(byLabel, "shop/web", "payments/api"));
    }

    [Fact]
    public void Entities_and_cidr_sets_name_what_is_inside_and_outside_the_cluster()
    {
        NetworkModel world = Build(Cluster + Cnp("web-out", "shop", "  endpointSelector: {matchLabels: {app: web}}\n  egress:\n  - toEntities: [world]\n"));
        Assert.True(world.Evaluate(At(world, "shop/web"), Ip("8.8.8.8")).Allowed.Contains("TCP", 443));
        Assert.False(Allowed(world, "shop/web", "payments/api"));

        NetworkModel cluster = Build(Cluster + Cnp("web-in", "shop", "  endpointSelector: {matchLabels: {app: web}}\n  egress:\n  - toEntities: [cluster]\n"));
        Assert.True(Allowed(cluster, "shop/web", "payments/api"));
        Assert.False(cluster.Evaluate(At(cluster, "shop/web"), Ip("8.8.8.8")).Allowed.Contains("TCP", 443));

        NetworkModel cidr = Build(Cluster + Cnp("web-cidr", "shop", "  endpointSelector: {matchLabels: {app: web}}\n  egress:\n  - toCIDRSet: [{cidr: 10.20.0.0/16, except: [10.20.99.0/24]}]\n  - toCIDR: [192.0.2.7]\n"));
        Assert.True(cidr.Evaluate(At(cidr, "shop/web"), Ip("10.20.1.1")).Allowed.Contains("TCP", 5432));
        Assert.False(cidr.Evaluate(At(cidr, "shop/web"), Ip("10.20.99.1")).Allowed.Contains("TCP", 5432));
        Assert.True(cidr.Evaluate(At(cidr, "shop/web"), Ip("192.0.2.7")).Allowed.Contains("UDP", 53));
        Assert.False(Allowed(cidr, "shop/web", "payments/api")); // CIDR rules never match pods
    }

    [Fact]
    public void Deny_rules_win_over_every_allow_including_network_policy()
    {
        const string allowAll = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: all, namespace: payments}\nspec: {podSelector: {}, ingress: [{}]}\n";
        NetworkModel model = Build(Cluster + allowAll + Cnp("no-shop", "payments", "  endpointSelector: {}\n  ingressDeny:\n  - fromEndpoints: [{matchLabels: {\"k8s:io.kubernetes.pod.namespace\": shop}}]\n    toPorts: [{ports: [{port: \"8443\", protocol: TCP}]}]\n"));
        Assert.False(Allowed(model, "shop/web", "payments/api", port: 8443));
        Assert.True(Allowed(model, "shop/web", "payments/api", port: 80));
        Assert.True(Allowed(model, "payments/worker", "payments/api", port: 8443));

        ConnectivityResult result = ConnectivityVerdict.Decide(model, At(model, "shop/web"), At(model, "payments/api"), "TCP", 8443);
        Assert.Contains("CiliumNetworkPolicy/payments/no-shop ingressDeny[0] Deny", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allows_add_up_with_network_policy_and_enable_default_deny_false_isolates_nothing()
    {
        const string workerOnly = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: worker-only, namespace: payments}\nspec: {podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: worker}}}]}]}\n";
        string fromShop = "  endpointSelector: {matchLabels: {app: api}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {\"k8s:io.kubernetes.pod.namespace\": shop}}]\n";
        NetworkModel both = Build(Cluster + workerOnly + Cnp("shop", "payments", fromShop));
        Assert.True(Allowed(both, "shop/web", "payments/api"));
        Assert.True(Allowed(both, "payments/worker", "payments/api"));

        NetworkModel notIsolating = Build(Cluster + Cnp("shop", "payments", fromShop + "  enableDefaultDeny: {ingress: false}\n"));
        Assert.True(Allowed(notIsolating, "payments/worker", "payments/api"));
    }

    [Fact]
    public void Ports_any_protocol_named_ports_l4_only_rules_and_the_empty_rule()
    {
        NetworkModel ports = Build(Cluster + Cnp("api", "payments", "  endpointSelector: {matchLabels: {app: api}}\n  ingress:\n  - toPorts: [{ports: [{port: https}, {port: \"53\", protocol: ANY}]}]\n"));
        Assert.True(Allowed(ports, "shop/web", "payments/api", port: 8443)); // L4-only: every peer
        Assert.True(Allowed(ports, "shop/web", "payments/api", "UDP", 53));
        Assert.False(Allowed(ports, "shop/web", "payments/api", port: 80));

        NetworkModel empty = Build(Cluster + Cnp("deny-all", "payments", "  endpointSelector: {}\n  ingress:\n  - {}\n"));
        Assert.False(Allowed(empty, "payments/worker", "payments/api"));
        Assert.False(Allowed(empty, "shop/web", "payments/worker"));
        Assert.True(Allowed(empty, "payments/api", "shop/web"));
    }

    [Fact]
    public void A_clusterwide_policy_selects_across_namespaces_and_its_empty_endpoint_selector_means_every_pod()
    {
        NetworkModel model = Build(Cluster + Ccnp("intra", "  endpointSelector: {}\n  ingress:\n  - fromEndpoints: [{}]\n"));
        Assert.True(Allowed(model, "shop/web", "payments/api"));
        Assert.False(model.Evaluate(Ip("203.0.113.9"), At(model, "payments/api")).Allowed.Contains("TCP", 8443));
    }

    [Fact]
    public void Fqdn_and_l7_rules_are_named_as_not_evaluated_and_host_policies_change_nothing()
    {
        NetworkModel model = Build(Cluster + Cnp("web-dns", "shop", "  endpointSelector: {matchLabels: {app: web}}\n  egress:\n  - toFQDNs: [{matchName: api.example.com}]\n")
            + Ccnp("host", "  nodeSelector: {}\n  ingress:\n  - fromEntities: [cluster]\n"));
        ConnectivityResult result = ConnectivityVerdict.Decide(model, At(model, "shop/web"), Ip("198.51.100.4"), "TCP", 443);
        Assert.False(result.Allowed); // egress isolated; the FQDN rule is what might allow it
        Assert.Equal(NetworkCompleteness.Partial, result.Completeness);
        Assert.Contains(result.CompletenessNotes, n => n.Contains("toFQDNs", StringComparison.Ordinal));
        Assert.Equal(NetworkCompleteness.Exact, ConnectivityVerdict.Decide(model, At(model, "payments/worker"), At(model, "payments/api"), "TCP", 443).Completeness);
    }
}
