using KubeSecurity.Core.Network;
using KubeSecurity.Core.Network.Calico;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Network.NetworkFixtures;

namespace KubeSecurity.Core.Tests.Network;

/// <summary>The modeled subset of Calico policies: selectors, order, first-match Allow/Deny, and honest refusal of the rest.</summary>
public class CalicoTests
{
    private const string Cluster = """
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: app, labels: {tier: trusted}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: guest, labels: {tier: untrusted}}
        """ + "\n";

    private static string Pods => Pod("app", "db", "{app: db}") + Pod("app", "api", "{app: api, version: v2}") + Pod("app", "web", "{app: web}") + Pod("guest", "shell", "{app: shell}");

    [Theory]
    [InlineData("app == 'db'", true)]
    [InlineData("app != 'db'", false)]
    [InlineData("app in {'web', 'db'}", true)]
    [InlineData("app not in {'web', 'db'}", false)]
    [InlineData("has(app) && !has(version)", true)]
    [InlineData("(app == 'x' || app starts with 'd') && all()", true)]
    [InlineData("app ends with 'b' && app contains 'd'", true)]
    [InlineData("!(app == 'db')", false)]
    [InlineData("", true)]
    public void Selectors_follow_the_calico_expression_language(string expression, bool matchesDb) =>
        Assert.Equal(matchesDb, CalicoSelector.Parse(expression).Matches(new Dictionary<string, string> { ["app"] = "db" }));

    [Theory]
    [InlineData("global()")]
    [InlineData("app = 'db'")]
    [InlineData("app == db")]
    [InlineData("app in {'a'")]
    public void Selectors_outside_the_language_are_refused(string expression) =>
        Assert.Throws<FormatException>(() => CalicoSelector.Parse(expression));

    [Fact]
    public void A_lower_order_global_deny_wins_over_a_kubernetes_allow_and_first_match_decides()
    {
        NetworkModel model = Build(Cluster + Pods + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-open, namespace: app}
            spec: {podSelector: {matchLabels: {app: db}}, ingress: [{}]}
            ---
            apiVersion: projectcalico.org/v3
            kind: GlobalNetworkPolicy
            metadata: {name: quarantine-guests}
            spec:
              order: 100
              selector: app == 'db'
              types: [Ingress]
              ingress:
              - action: Deny
                source: {namespaceSelector: tier == 'untrusted'}
              - action: Allow
                protocol: TCP
                source: {selector: app == 'api'}
                destination: {ports: [5432]}
              - action: Deny
                protocol: TCP
                source: {selector: app == 'api'}
            """);

        Assert.Empty(model.Unmodeled);
        Assert.False(Allowed(model, "guest/shell", "app/db", port: 5432)); // denied at order 100
        Assert.True(Allowed(model, "app/api", "app/db", port: 5432)); // allowed by the first matching rule
        Assert.False(Allowed(model, "app/api", "app/db", port: 80)); // denied by the third rule before the Kubernetes allow
        Assert.True(Allowed(model, "app/api", "app/db", "UDP", 53)); // no Calico rule matches: the Kubernetes policy (order 1000) allows
        Assert.True(Allowed(model, "app/web", "app/db", port: 80));
        Assert.Contains("GlobalNetworkPolicy/quarantine-guests", NetworkCoverageAnalyzer.Analyze(model).Single(r => r.Name == "db").IngressPolicies);
    }

    [Fact]
    public void A_namespaced_calico_policy_isolates_what_it_selects_and_nets_match_outside_addresses()
    {
        NetworkModel model = Build(Cluster + Pods + """
            ---
            apiVersion: projectcalico.org/v3
            kind: NetworkPolicy
            metadata: {name: api-egress, namespace: app}
            spec:
              selector: app == 'api'
              types: [Egress]
              egress:
              - action: Allow
                protocol: TCP
                destination: {selector: app == 'db', ports: [5432]}
              - action: Allow
                protocol: TCP
                destination: {nets: [192.0.2.0/24], ports: ['8000:8010']}
            """);
        Assert.True(Allowed(model, "app/api", "app/db", port: 5432));
        Assert.False(Allowed(model, "app/api", "app/web", port: 5432));
        NetworkEndpoint api = At(model, "app/api");
        Assert.Equal("TCP/8000-8010", model.Evaluate(api, Ip("192.0.2.9")).Allowed.ToString());
        Assert.True(model.Evaluate(api, Ip("198.51.100.9")).Allowed.IsEmpty);
        Assert.True(Allowed(model, "app/web", "guest/shell")); // not selected: open
    }

    [Fact]
    public void Policies_using_unmodeled_features_are_reported_and_left_out()
    {
        NetworkModel model = Build(Cluster + Pods + """
            ---
            apiVersion: projectcalico.org/v3
            kind: GlobalNetworkPolicy
            metadata: {name: passes}
            spec:
              selector: all()
              ingress: [{action: Pass}]
            ---
            apiVersion: projectcalico.org/v3
            kind: NetworkPolicy
            metadata: {name: not-selector, namespace: app}
            spec:
              selector: app == 'db'
              ingress: [{action: Allow, source: {notSelector: app == 'web'}}]
            """);
        Assert.Equal(2, model.Unmodeled.Count);
        Assert.Contains(model.Problems, p => p.Message.Contains("action 'Pass'", StringComparison.Ordinal));
        Assert.Contains(model.Problems, p => p.Message.Contains("notSelector is not modeled", StringComparison.Ordinal));
        Assert.Equal(2, NetworkRiskAnalyzer.Analyze(model).Count(f => f.RuleId == NetworkRules.PolicyNotEvaluated));
        Assert.True(Allowed(model, "app/web", "app/db"));
    }
}
