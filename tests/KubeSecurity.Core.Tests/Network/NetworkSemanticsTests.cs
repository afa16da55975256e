using KubeSecurity.Core.Network;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Network.NetworkFixtures;

namespace KubeSecurity.Core.Tests.Network;

/// <summary>The NetworkPolicy semantics, checked on the Kubernetes documentation's examples and the network-policy recipes.</summary>
public class NetworkSemanticsTests
{
    private const string Cluster = """
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: default}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: ops, labels: {team: operations, project: myproject}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: other}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: kube-system}
        """ + "\n";

    private static string Pods =>
        Pod("default", "web", "{app: web}") + Pod("default", "db", "{role: db}") + Pod("default", "frontend", "{role: frontend}") +
        Pod("default", "foo", "{app: foo}") + Pod("ops", "monitor", "{type: monitoring}") + Pod("ops", "batch", "{type: batch}") +
        Pod("other", "monitor", "{type: monitoring}") + Pod("kube-system", "dns", "{k8s-app: kube-dns}");

    [SharedDataFact]
    public void The_documentation_example_allows_frontend_pods_a_namespace_and_an_ip_block_on_6379_only()
    {
        NetworkModel model = Build(Cluster + Pods, Path.Combine(Recipes, "kubernetes-website", "networkpolicy.yaml"));

        Assert.True(Allowed(model, "default/frontend", "default/db", port: 6379));
        Assert.False(Allowed(model, "default/frontend", "default/db", port: 80));
        Assert.False(Allowed(model, "default/frontend", "default/db", "UDP", 6379));
        Assert.True(Allowed(model, "ops/batch", "default/db", port: 6379)); // any pod of a project=myproject namespace
        Assert.False(Allowed(model, "default/web", "default/db", port: 6379));
        Assert.False(Allowed(model, "other/monitor", "default/db", port: 6379));

        NetworkEndpoint db = At(model, "default/db");
        Assert.True(model.Evaluate(Ip("172.17.5.9"), db).Allowed.Contains("TCP", 6379));
        Assert.False(model.Evaluate(Ip("172.17.1.9"), db).Allowed.Contains("TCP", 6379)); // except
        Assert.True(model.Evaluate(db, Ip("10.0.0.7")).Allowed.Contains("TCP", 5978));
        Assert.False(model.Evaluate(db, Ip("10.0.1.7")).Allowed.Contains("TCP", 5978));
        Assert.False(Allowed(model, "default/db", "default/web")); // egress isolated: pods are not in the ipBlock
        Assert.True(Allowed(model, "default/web", "default/frontend")); // unselected pods stay open
    }

    [SharedDataFact]
    public void End_port_ranges_are_inclusive()
    {
        NetworkModel model = Build(Cluster + Pods, Path.Combine(Recipes, "kubernetes-website", "networkpolicy-multiport-egress.yaml"));
        NetworkEndpoint db = At(model, "default/db");
        Assert.True(model.Evaluate(db, Ip("10.0.0.1")).Allowed.Contains("TCP", 32000));
        Assert.True(model.Evaluate(db, Ip("10.0.0.1")).Allowed.Contains("TCP", 32768));
        Assert.False(model.Evaluate(db, Ip("10.0.0.1")).Allowed.Contains("TCP", 32769));
        Assert.Equal("TCP/32000-32768", model.Evaluate(db, Ip("10.0.0.1")).Allowed.ToString());
    }

    [SharedDataFact]
    public void Namespace_and_pod_selector_in_one_peer_are_anded()
    {
        NetworkModel model = Build(Cluster + Pods, Path.Combine(Recipes, "network-policy-recipes", "07-allow-traffic-from-some-pods-in-another-namespace.yaml"));
        Assert.True(Allowed(model, "ops/monitor", "default/web"));
        Assert.False(Allowed(model, "ops/batch", "default/web"));
        Assert.False(Allowed(model, "other/monitor", "default/web"));
        Assert.False(Allowed(model, "default/frontend", "default/web"));
    }

    [Fact]
    public void Separate_peers_are_ored()
    {
        NetworkModel model = Build(Cluster + Pods + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: or, namespace: default}
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress:
              - from:
                - namespaceSelector: {matchLabels: {team: operations}}
                - podSelector: {matchLabels: {type: monitoring}}
            """);
        Assert.True(Allowed(model, "ops/batch", "default/web")); // by namespace
        Assert.True(Allowed(model, "ops/monitor", "default/web"));
        Assert.False(Allowed(model, "other/monitor", "default/web")); // a podSelector alone means the policy's namespace
        Assert.False(Allowed(model, "default/foo", "default/web"));
    }

    [SharedDataFact]
    public void Deny_egress_but_dns_and_the_default_deny_all_policy()
    {
        NetworkModel dnsOnly = Build(Cluster + Pods, Path.Combine(Recipes, "network-policy-recipes", "11-deny-egress-traffic-from-an-application-2.yaml"));
        Assert.True(Allowed(dnsOnly, "default/foo", "kube-system/dns", "UDP", 53));
        Assert.False(Allowed(dnsOnly, "default/foo", "kube-system/dns", "TCP", 80));
        Assert.False(Allowed(dnsOnly, "default/foo", "default/web"));
        Assert.True(Allowed(dnsOnly, "default/web", "default/foo")); // ingress untouched

        NetworkModel denyAll = Build(Cluster + Pods, Path.Combine(Recipes, "kubernetes-website", "network-policy-default-deny-all.yaml"));
        Assert.False(Allowed(denyAll, "default/web", "default/db"));
        Assert.False(Allowed(denyAll, "ops/monitor", "default/db"));
        Assert.True(Allowed(denyAll, "ops/monitor", "ops/batch")); // another namespace is untouched
    }

    [Fact]
    public void Policy_types_default_to_ingress_plus_egress_only_when_there_are_egress_rules()
    {
        NetworkModel model = Build(Cluster + Pods + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: egress-only-rules, namespace: default}
            spec:
              podSelector: {matchLabels: {app: web}}
              egress:
              - to: [{podSelector: {matchLabels: {role: db}}}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: empty-egress, namespace: default}
            spec:
              podSelector: {matchLabels: {app: foo}}
              egress: []
            """);
        // No policyTypes and egress rules: Ingress and Egress. Ingress has no rules: denied.
        Assert.False(Allowed(model, "default/frontend", "default/web"));
        Assert.True(Allowed(model, "default/web", "default/db"));
        Assert.False(Allowed(model, "default/web", "default/frontend"));
        // An empty egress list adds no Egress type: only ingress is isolated.
        Assert.False(Allowed(model, "default/foo", "default/web")); // web's ingress denies
        Assert.True(Allowed(model, "default/foo", "default/db"));
        Assert.False(Allowed(model, "default/db", "default/foo"));
    }

    [Fact]
    public void Named_ports_resolve_against_the_destination_pods_and_match_expressions_work()
    {
        NetworkModel model = Build(Cluster +
            Pod("default", "api", "{app: api, tier: backend}", "[{name: http, containerPort: 8080}, {name: dns, containerPort: 5353, protocol: UDP}]") +
            Pod("default", "legacy-api", "{app: api, tier: legacy}", "[{name: http, containerPort: 9090}]") +
            Pod("default", "client", "{app: client}") + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api, namespace: default}
            spec:
              podSelector: {matchExpressions: [{key: tier, operator: In, values: [backend, legacy]}]}
              ingress:
              - from: [{podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [api]}, {key: app, operator: Exists}]}}]
                ports: [{port: http}, {port: dns, protocol: UDP}]
            """);

        Assert.True(Allowed(model, "default/client", "default/api", port: 8080));
        Assert.False(Allowed(model, "default/client", "default/api", port: 9090));
        Assert.True(Allowed(model, "default/client", "default/legacy-api", port: 9090));
        Assert.True(Allowed(model, "default/client", "default/api", "UDP", 5353));
        Assert.False(Allowed(model, "default/api", "default/legacy-api", port: 9090)); // NotIn api
    }

    [Fact]
    public void Invalid_policies_are_skipped_with_a_reason_and_the_rest_still_counts()
    {
        NetworkModel model = Build(Cluster + Pods + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad-cidr, namespace: default}
            spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad-protocol, namespace: default}
            spec: {podSelector: {}, ingress: [{ports: [{protocol: ICMP, port: 1}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad-operator, namespace: default}
            spec: {podSelector: {matchExpressions: [{key: a, operator: Equals, values: [b]}]}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad-port, namespace: default}
            spec: {podSelector: {}, ingress: [{ports: [{port: 70000}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: good, namespace: default}
            spec: {podSelector: {matchLabels: {app: web}}, ingress: []}
            """);

        string problems = string.Join("\n", model.Problems);
        Assert.Contains("bad-cidr: spec.ingress[0].from[0].ipBlock.cidr '10.0.0.0/33' is not a valid CIDR", problems, StringComparison.Ordinal);
        Assert.Contains("unknown protocol 'ICMP'", problems, StringComparison.Ordinal);
        Assert.Contains("unknown operator 'Equals'", problems, StringComparison.Ordinal);
        Assert.Contains("70000 is out of range", problems, StringComparison.Ordinal);
        Assert.Single(model.Policies);
        Assert.False(Allowed(model, "default/foo", "default/web"));
        Assert.True(Allowed(model, "default/foo", "default/db"));
    }

    [Fact]
    public void IPv6_blocks_and_host_network_pods_are_handled()
    {
        NetworkModel model = Build(Cluster + Pods + Pod("default", "node-agent", "{app: agent}", hostNetwork: true) + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: v6, namespace: default}
            spec:
              podSelector: {matchLabels: {app: web}}
              policyTypes: [Egress]
              egress: [{to: [{ipBlock: {cidr: '2001:db8::/32', except: ['2001:db8:1::/48']}}]}]
            """);
        NetworkEndpoint web = At(model, "default/web");
        Assert.True(model.Evaluate(web, Ip("2001:db8:2::1")).Allowed.IsAll);
        Assert.True(model.Evaluate(web, Ip("2001:db8:1::1")).Allowed.IsEmpty);
        Assert.True(model.Classes.Single(c => c.HostNetwork).Workloads.Single().Name == "node-agent");
        Assert.Empty(model.EgressPoliciesOf(model.Classes.Single(c => c.HostNetwork)));
    }

    [Fact]
    public void A_host_network_pod_is_out_of_scope_for_the_verdict_and_the_map_alike()
    {
        NetworkModel model = Build(Cluster + Pods + Pod("default", "node-agent", "{app: agent}", hostNetwork: true));
        ConnectivityResult toAgent = ConnectivityVerdict.Decide(model, At(model, "default/web"), At(model, "default/node-agent"), "TCP", 80);
        Assert.True(toAgent.Allowed);
        Assert.Contains("out of scope", toAgent.Reason, StringComparison.Ordinal);
        Assert.Equal("node-agent", Assert.Single(ConnectivityVerdict.OutOfScopeWorkloads(model)).Name);
        Assert.DoesNotContain(ConnectivityMapper.Map(model), c => c.SourceName == "node-agent" || c.DestinationName == "node-agent");

        ConnectivityResult between = ConnectivityVerdict.Decide(model, At(model, "default/web"), At(model, "default/db"), "TCP", 5432);
        Assert.DoesNotContain("out of scope", between.Reason, StringComparison.Ordinal);
    }
}
