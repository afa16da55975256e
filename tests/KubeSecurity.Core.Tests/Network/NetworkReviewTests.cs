using KubeSecurity.Core.Network;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Network.NetworkFixtures;

namespace KubeSecurity.Core.Tests.Network;

public class NetworkReviewTests
{
    private static NetworkModel Demo() => NetworkModel.Build(Snapshot(string.Empty, TestPaths.DemoCluster));

    [Fact]
    public void Every_planted_network_problem_of_the_demo_cluster_is_found_and_the_compliant_namespace_is_clean()
    {
        List<Finding> findings = NetworkRiskAnalyzer.Analyze(Demo());

        // DEMO-NET-1: namespaces without any policy.
        foreach (string ns in new[] { "legacy", "default", "ci", "ingress-nginx", "kube-system" })
        {
            Assert.Contains(findings, f => f.RuleId == NetworkRules.NamespaceWithoutPolicy && f.Name == ns);
        }

        // DEMO-NET-2: every source on every port.
        Finding allowAll = Assert.Single(findings, f => f.RuleId == NetworkRules.IngressFromAnywhere && f.Name == "allow-all-ingress");
        Assert.Equal(Severity.High, allowAll.Severity);
        // DEMO-NET-3: default-deny with DNS in payments: no DNS or unrestricted-egress finding there.
        Assert.DoesNotContain(findings, f => f.Namespace == "payments" && f.RuleId is NetworkRules.DnsBlocked or NetworkRules.UnrestrictedEgress or NetworkRules.NamespaceWithoutPolicy);
        Assert.DoesNotContain(findings, f => f.RuleId == NetworkRules.NamespaceWithoutPolicy && f.Name is "payments" or "shop" or "monitoring");
    }

    [Fact]
    public void Demo_connectivity_follows_the_payments_policies()
    {
        NetworkModel model = Demo();
        List<NetworkConnection> map = ConnectivityMapper.Map(model);
        Assert.Contains(map, c => c.SourceNamespace == "ingress-nginx" && c.DestinationNamespace == "payments" && c.Destination == "payments-api");
        Assert.DoesNotContain(map, c => c.SourceNamespace == "legacy" && c.DestinationNamespace == "payments");
        Assert.Contains(map, c => c.SourceNamespace == "payments" && c.DestinationKind == "External" && c.Destination.StartsWith("10.20.0.0/16", StringComparison.Ordinal) && c.Ports.SequenceEqual(new[] { "TCP/5432" }));
        Assert.Contains(map, c => c.SourceNamespace == "payments" && c.DestinationNamespace == "kube-system" && c.Ports.Contains("UDP/53"));
        Assert.Contains(map, c => c.SourceNamespace == "legacy" && c.DestinationKind == "External" && c.Destination == "any other address" && c.Ports.SequenceEqual(new[] { "any" }));

        string dot = ConnectivityMapper.ToDot(map);
        Assert.StartsWith("digraph connectivity {", dot, StringComparison.Ordinal);
        Assert.Contains("flowchart LR", ConnectivityMapper.ToMermaid(map), StringComparison.Ordinal);
        List<string> problems = new();
        string csv = Path.Combine(TestPaths.TempDirectory(), "map.csv");
        File.WriteAllText(csv, ConnectivityMapper.ToCsv(map));
        Assert.Equal(map.Count, ObservedFlow.ReadFile(csv, problems).Count);
        Assert.Empty(problems);
    }

    public static TheoryData<string, string, string> RuleCases => new()
    {
        { NetworkRules.PolicySelectsNothing, "{podSelector: {matchLabels: {app: typo}}, ingress: []}", "{podSelector: {matchLabels: {app: web}}, ingress: []}" },
        { NetworkRules.IngressFromAnywhere, "{podSelector: {}, ingress: [{from: [{namespaceSelector: {}}]}]}", "{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}]}]}" },
        { NetworkRules.UnrestrictedEgress, "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]}", "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 443}]}, {to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}], ports: [{port: 53, protocol: UDP}]}]}" },
        { NetworkRules.DnsBlocked, "{podSelector: {}, policyTypes: [Egress]}", "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}]}]}" },
        { NetworkRules.UnresolvedNamedPort, "{podSelector: {matchLabels: {app: web}}, ingress: [{ports: [{port: htttp}]}]}", "{podSelector: {matchLabels: {app: web}}, ingress: [{ports: [{port: http}]}]}" },
        { NetworkRules.UnresolvedNamedPort, "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: htttp}]}]}", "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: http}]}]}" },
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public void Each_policy_rule_flags_its_violation_and_not_the_compliant_neighbour(string ruleId, string violating, string compliant)
    {
        string cluster = Namespace("team") + Namespace("kube-system") + Pod("team", "web", "{app: web}", "[{name: http, containerPort: 8080}]") + Pod("kube-system", "dns", "{k8s-app: kube-dns}");
        string Policy(string spec) => $"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p, namespace: team}}\nspec: {spec}\n";
        List<Finding> bad = NetworkRiskAnalyzer.Analyze(Build(cluster + Policy(violating)));
        List<Finding> good = NetworkRiskAnalyzer.Analyze(Build(cluster + Policy(compliant)));
        Assert.Contains(bad, f => f.RuleId == ruleId);
        Assert.DoesNotContain(good, f => f.RuleId == ruleId);
    }

    [Fact]
    public void Workload_isolation_shadowing_and_host_network_findings()
    {
        string cluster = Namespace("team") + Pod("team", "web", "{app: web}") + Pod("team", "worker", "{app: worker}") + Pod("team", "agent", "{app: agent}", hostNetwork: true) + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-only, namespace: team}
            spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {}}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-everything, namespace: team}
            spec: {podSelector: {}, ingress: [{}]}
            """;
        List<Finding> findings = NetworkRiskAnalyzer.Analyze(Build(cluster));
        Assert.Contains(findings, f => f.RuleId == NetworkRules.EgressNotIsolated && f.Name == "web");
        Assert.Contains(findings, f => f.RuleId == NetworkRules.ShadowedPolicy && f.Name == "web-only" && f.Evidence["ShadowedBy"] == "NetworkPolicy/team/allow-everything");
        Assert.Contains(findings, f => f.RuleId == NetworkRules.HostNetworkOutOfScope && f.Name == "agent");
        Assert.DoesNotContain(findings, f => f.RuleId == NetworkRules.IngressNotIsolated && f.Name == "agent");

        List<Finding> partial = NetworkRiskAnalyzer.Analyze(Build(Namespace("team") + Pod("team", "web", "{app: web}") + Pod("team", "worker", "{app: worker}") + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-only, namespace: team}
            spec: {podSelector: {matchLabels: {app: web}}, ingress: []}
            """));
        Assert.Contains(partial, f => f.RuleId == NetworkRules.IngressNotIsolated && f.Name == "worker");
        Assert.DoesNotContain(partial, f => f.RuleId == NetworkRules.IngressNotIsolated && f.Name == "web");
    }

    [Fact]
    public void Coverage_reports_namespaces_and_workloads()
    {
        List<NetworkCoverage> rows = NetworkCoverageAnalyzer.Analyze(Demo());
        NetworkCoverage payments = rows.Single(r => r.Kind == "Namespace" && r.Name == "payments");
        Assert.True(payments.IngressIsolated);
        Assert.True(payments.EgressIsolated);
        Assert.Contains("default-deny", payments.IngressPolicies);
        NetworkCoverage legacy = rows.Single(r => r.Kind == "Namespace" && r.Name == "legacy");
        Assert.False(legacy.IngressIsolated);
        Assert.NotNull(legacy.Note);
        Assert.Contains(rows, r => r.Kind == "Deployment" && r.Namespace == "payments" && r.Name == "payments-api" && r.IngressPolicies.Contains("api-from-ingress"));
    }
}

public class ObservedFlowTests
{
    [Fact]
    public void Flows_read_from_json_and_csv_with_per_row_problems()
    {
        string dir = TestPaths.TempDirectory();
        string json = Path.Combine(dir, "flows.json");
        File.WriteAllText(json, """
            [
              {"Source": "shop/frontend", "Destination": "shop/cart", "Port": 8080, "Protocol": "tcp"},
              {"SourceNamespace": "shop", "Source": "cart", "Destination": "10.20.0.0/16", "Ports": ["TCP/5432", "UDP/53"]},
              {"Source": "shop/frontend"},
              {"Source": "a/b", "Destination": "a/c", "Port": 0}
            ]
            """);
        var problems = new List<string>();
        List<ObservedFlow> flows = ObservedFlow.ReadFile(json, problems);
        Assert.Equal(2, flows.Count);
        Assert.Equal(("shop", "frontend", "shop", "cart", "TCP/8080"), (flows[0].SourceNamespace, flows[0].Source, flows[0].DestinationNamespace, flows[0].Destination, flows[0].Ports.ToString()));
        Assert.Equal("10.20.0.0/16", flows[1].Destination);
        Assert.Null(flows[1].DestinationNamespace);
        Assert.Equal("TCP/5432,UDP/53", flows[1].Ports.ToString());
        Assert.Equal(2, problems.Count);
        Assert.Contains("item 3: the flow has no Destination", problems[0], StringComparison.Ordinal);
        Assert.Contains("item 4", problems[1], StringComparison.Ordinal);
    }
}
