using KubeSecurity.Core.Network;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Network.NetworkFixtures;

namespace KubeSecurity.Core.Tests.Network;

/// <summary>
/// AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1, KEP-2091),
/// on scenarios whose answers follow from the API's text: AdminNetworkPolicies by priority, lower
/// first, first matching rule per port decides (Allow, Deny, Pass); then NetworkPolicy where it
/// isolates the pod, otherwise the baseline; then allow.
/// </summary>
public class AdminNetworkPolicyTests
{
    private static readonly string Cluster =
        Namespace("foo", "{team: foo}") + Namespace("bar", "{team: bar}") + Namespace("sensitive", "{tier: restricted}") +
        Pod("foo", "a", "{app: a}") + Pod("bar", "bar", "{app: bar}") +
        Pod("sensitive", "sensitive", "{app: sensitive}", "[{name: http, containerPort: 8080}]");

    private static string Anp(string name, int priority, string subject, string ingress = "", string egress = "") =>
        $"---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {{name: {name}}}\nspec:\n  priority: {priority}\n  subject: {subject}\n"
        + (ingress.Length > 0 ? $"  ingress: {ingress}\n" : string.Empty) + (egress.Length > 0 ? $"  egress: {egress}\n" : string.Empty);

    private static string Banp(string subject, string ingress = "", string egress = "", string name = "default") =>
        $"---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {{name: {name}}}\nspec:\n  subject: {subject}\n"
        + (ingress.Length > 0 ? $"  ingress: {ingress}\n" : string.Empty) + (egress.Length > 0 ? $"  egress: {egress}\n" : string.Empty);

    private const string SensitivePods = "{pods: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: sensitive}}, podSelector: {matchLabels: {app: sensitive}}}}";
    private const string FromBar = "[{namespaces: {matchLabels: {team: bar}}}]";
    private const string FromAll = "[{namespaces: {}}]";

    private static string Rule(string action, string from, string ports = "", string name = "r") =>
        $"{{name: {name}, action: {action}, from: {from}{(ports.Length > 0 ? $", ports: {ports}" : string.Empty)}}}";

    private const string NetworkPolicyAllowingFoo = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: only-foo, namespace: sensitive}
        spec:
          podSelector: {}
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {team: foo}}
        """ + "\n";

    [Fact]
    public void A_deny_rule_blocks_the_pair_the_issue_names_and_leaves_others_open()
    {
        NetworkModel model = Build(Cluster + Anp("deny-bar", 10, SensitivePods, $"[{Rule("Deny", FromBar)}]"));
        Assert.False(Allowed(model, "bar/bar", "sensitive/sensitive", port: 80));
        Assert.True(Allowed(model, "foo/a", "sensitive/sensitive", port: 80));

        ConnectivityResult result = ConnectivityVerdict.Decide(model, At(model, "bar/bar"), At(model, "sensitive/sensitive"), "TCP", 80);
        Assert.False(result.Allowed);
        Assert.Contains("AdminNetworkPolicy/deny-bar", result.Reason, StringComparison.Ordinal);
        Assert.Equal(NetworkCompleteness.Exact, result.Completeness);
    }

    [Fact]
    public void The_lower_priority_number_decides_first()
    {
        string allowBar = Rule("Allow", FromBar);
        string denyAll = Rule("Deny", FromAll);
        NetworkModel allowFirst = Build(Cluster + Anp("allow-bar", 10, SensitivePods, $"[{allowBar}]") + Anp("deny-all", 20, SensitivePods, $"[{denyAll}]"));
        Assert.True(Allowed(allowFirst, "bar/bar", "sensitive/sensitive"));
        Assert.False(Allowed(allowFirst, "foo/a", "sensitive/sensitive"));

        NetworkModel denyFirst = Build(Cluster + Anp("allow-bar", 30, SensitivePods, $"[{allowBar}]") + Anp("deny-all", 20, SensitivePods, $"[{denyAll}]"));
        Assert.False(Allowed(denyFirst, "bar/bar", "sensitive/sensitive"));
        Assert.False(Allowed(denyFirst, "foo/a", "sensitive/sensitive"));
    }

    [Fact]
    public void Within_a_policy_the_first_matching_rule_decides_each_port()
    {
        NetworkModel model = Build(Cluster + Anp("ports", 10, SensitivePods,
            $"[{Rule("Deny", FromBar, "[{portNumber: {protocol: TCP, port: 80}}]", "deny-80")}, {Rule("Allow", FromBar, name: "allow-rest")}, {Rule("Deny", FromAll, name: "deny-all")}]"));
        Assert.False(Allowed(model, "bar/bar", "sensitive/sensitive", port: 80));
        Assert.True(Allowed(model, "bar/bar", "sensitive/sensitive", port: 443));
        Assert.True(Allowed(model, "bar/bar", "sensitive/sensitive", "UDP", 53));
        Assert.False(Allowed(model, "foo/a", "sensitive/sensitive", port: 443));
    }

    [Fact]
    public void Pass_hands_the_traffic_to_network_policy_and_skips_lower_admin_policies()
    {
        string passBar = Rule("Pass", FromBar);
        string denyAll = Rule("Deny", FromAll);
        string policies = Anp("pass-bar", 5, SensitivePods, $"[{passBar}]") + Anp("deny-all", 10, SensitivePods, $"[{denyAll}]");

        // No NetworkPolicy and no baseline: passed traffic is allowed by default; the deny-all below is skipped.
        NetworkModel open = Build(Cluster + policies);
        Assert.True(Allowed(open, "bar/bar", "sensitive/sensitive"));
        Assert.False(Allowed(open, "foo/a", "sensitive/sensitive"));

        // A NetworkPolicy isolating the pod decides passed traffic: it allows foo only, so bar is denied.
        NetworkModel isolated = Build(Cluster + policies + NetworkPolicyAllowingFoo);
        Assert.False(Allowed(isolated, "bar/bar", "sensitive/sensitive"));

        // Without NetworkPolicy, the baseline decides passed traffic.
        NetworkModel baseline = Build(Cluster + policies + Banp(SensitivePods, $"[{Rule("Deny", FromAll)}]"));
        Assert.False(Allowed(baseline, "bar/bar", "sensitive/sensitive"));
    }

    [Fact]
    public void An_admin_allow_overrides_network_policy_isolation()
    {
        NetworkModel model = Build(Cluster + NetworkPolicyAllowingFoo + Anp("allow-bar", 10, SensitivePods, $"[{Rule("Allow", FromBar)}]"));
        Assert.True(Allowed(model, "bar/bar", "sensitive/sensitive"));
        Assert.True(Allowed(model, "foo/a", "sensitive/sensitive"));
    }

    [Fact]
    public void The_baseline_applies_only_where_no_network_policy_isolates_the_pod()
    {
        string baseline = Banp(SensitivePods, $"[{Rule("Deny", FromAll)}]");
        NetworkModel withoutPolicy = Build(Cluster + baseline);
        Assert.False(Allowed(withoutPolicy, "bar/bar", "sensitive/sensitive"));
        Assert.False(Allowed(withoutPolicy, "foo/a", "sensitive/sensitive"));

        NetworkModel withPolicy = Build(Cluster + baseline + NetworkPolicyAllowingFoo);
        Assert.True(Allowed(withPolicy, "foo/a", "sensitive/sensitive"));
        Assert.False(Allowed(withPolicy, "bar/bar", "sensitive/sensitive"));

        // Baseline rules are ordered too: an Allow before the Deny wins for its peer.
        NetworkModel ordered = Build(Cluster + Banp(SensitivePods, $"[{Rule("Allow", FromBar)}, {Rule("Deny", FromAll)}]"));
        Assert.True(Allowed(ordered, "bar/bar", "sensitive/sensitive"));
        Assert.False(Allowed(ordered, "foo/a", "sensitive/sensitive"));
    }

    [Fact]
    public void Egress_rules_match_networks_by_cidr_and_port()
    {
        NetworkModel model = Build(Cluster + Anp("no-public-dns", 10, "{namespaces: {}}",
            egress: "[{name: dns, action: Deny, to: [{networks: [8.8.8.8/32, 8.8.4.4/32]}], ports: [{portNumber: {protocol: UDP, port: 53}}]}]"));
        NetworkEndpoint a = At(model, "foo/a");
        Assert.False(model.Evaluate(a, Ip("8.8.8.8")).Allowed.Contains("UDP", 53));
        Assert.True(model.Evaluate(a, Ip("8.8.8.8")).Allowed.Contains("TCP", 53));
        Assert.True(model.Evaluate(a, Ip("1.1.1.1")).Allowed.Contains("UDP", 53));
        Assert.True(Allowed(model, "foo/a", "bar/bar", "UDP", 53)); // pods are not in the networks
    }

    [Fact]
    public void Named_ports_and_port_ranges_resolve_against_the_destination()
    {
        NetworkModel model = Build(Cluster + Anp("web-only", 10, SensitivePods,
            $"[{Rule("Allow", FromAll, "[{namedPort: http}, {portRange: {protocol: TCP, start: 9000, end: 9100}}]")}, {Rule("Deny", FromAll, name: "rest")}]"));
        Assert.True(Allowed(model, "bar/bar", "sensitive/sensitive", port: 8080));
        Assert.True(Allowed(model, "bar/bar", "sensitive/sensitive", port: 9100));
        Assert.False(Allowed(model, "bar/bar", "sensitive/sensitive", port: 9101));
        Assert.False(Allowed(model, "bar/bar", "sensitive/sensitive", port: 80));
    }

    [Fact]
    public void The_older_peer_form_is_read_and_its_relative_selectors_make_answers_partial()
    {
        NetworkModel model = Build(Cluster + Anp("old-form", 10, SensitivePods,
            "[{name: a, action: Deny, from: [{namespaces: {namespaceSelector: {matchLabels: {team: bar}}}}]}, {name: b, action: Allow, from: [{namespaces: {sameLabels: [team]}}]}]"));
        Assert.False(Allowed(model, "bar/bar", "sensitive/sensitive"));
        ConnectivityResult result = ConnectivityVerdict.Decide(model, At(model, "foo/a"), At(model, "sensitive/sensitive"), "TCP", 80);
        Assert.Equal(NetworkCompleteness.Partial, result.Completeness);
        Assert.Contains(result.CompletenessNotes, n => n.Contains("sameLabels", StringComparison.Ordinal));
    }

    [Fact]
    public void Equal_priorities_are_reported_where_both_policies_select_the_pod()
    {
        NetworkModel model = Build(Cluster + Anp("one", 10, SensitivePods, $"[{Rule("Allow", FromBar)}]") + Anp("two", 10, SensitivePods, $"[{Rule("Deny", FromBar)}]"));
        ConnectivityResult result = ConnectivityVerdict.Decide(model, At(model, "bar/bar"), At(model, "sensitive/sensitive"), "TCP", 80);
        Assert.Equal(NetworkCompleteness.Partial, result.Completeness);
        Assert.Contains(result.CompletenessNotes, n => n.Contains("undefined", StringComparison.Ordinal));
        Assert.Equal(NetworkCompleteness.Exact, ConnectivityVerdict.Decide(model, At(model, "foo/a"), At(model, "bar/bar"), "TCP", 80).Completeness);
    }

    [Fact]
    public void Policies_the_api_server_would_reject_are_skipped_with_a_problem()
    {
        NetworkModel model = Build(Cluster + Anp("too-low", 1001, SensitivePods, $"[{Rule("Deny", FromAll)}]")
            + Banp(SensitivePods, $"[{Rule("Deny", FromAll)}]", name: "not-default")
            + Anp("two-subjects", 10, "{namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}", $"[{Rule("Deny", FromAll)}]"));
        Assert.Equal(3, model.Problems.Count);
        Assert.Contains(model.Problems, p => p.Message.Contains("priority 1001", StringComparison.Ordinal));
        Assert.Contains(model.Problems, p => p.Message.Contains("named \"default\"", StringComparison.Ordinal));
        Assert.True(Allowed(model, "bar/bar", "sensitive/sensitive"));
    }

    [Fact]
    public void Host_network_pods_are_not_subjects_or_peers()
    {
        NetworkModel model = Build(Cluster + Pod("sensitive", "agent", "{app: sensitive}", hostNetwork: true) + Anp("deny-all", 10, "{namespaces: {}}", $"[{Rule("Deny", FromAll)}]"));
        ConnectivityResult result = ConnectivityVerdict.Decide(model, At(model, "bar/bar"), At(model, "sensitive/agent"), "TCP", 80);
        Assert.True(result.Allowed);
        Assert.Equal(NetworkCompleteness.OutOfScope, result.Completeness);
        Assert.False(Allowed(model, "bar/bar", "sensitive/sensitive"));
    }

    [Fact]
    public void The_map_and_the_question_agree_with_admin_policies()
    {
        NetworkModel model = Build(Cluster + Anp("deny-bar", 10, SensitivePods, $"[{Rule("Deny", FromBar)}]"));
        List<NetworkConnection> map = ConnectivityMapper.Map(model);
        Assert.DoesNotContain(map, c => c.SourceName == "bar/bar" && c.DestinationName == "sensitive/sensitive");
        Assert.Contains(map, c => c.SourceName == "foo/a" && c.DestinationName == "sensitive/sensitive");
        Assert.All(map, c => Assert.Equal(NetworkCompleteness.Exact, c.Completeness));

        NetworkCoverage row = Assert.Single(NetworkCoverageAnalyzer.Analyze(model), r => r.Kind == "Pod" && r.Name == "sensitive");
        Assert.Contains("AdminNetworkPolicy/deny-bar (priority 10)", row.AdminPolicies);
    }

    [Fact]
    public void Traffic_an_admin_policy_passes_is_decided_by_calico_where_a_calico_policy_selects_the_pod()
    {
        const string calico = """
            ---
            apiVersion: projectcalico.org/v3
            kind: NetworkPolicy
            metadata: {name: sensitive-guard, namespace: sensitive}
            spec:
              order: 100
              selector: app == 'sensitive'
              types: [Ingress]
              ingress:
              - action: Allow
                protocol: TCP
                source: {namespaceSelector: team == 'bar'}
                destination: {ports: [8080]}
            """ + "\n";
        NetworkModel model = Build(Cluster + calico + Anp("pass-bar", 5, SensitivePods, $"[{Rule("Pass", FromBar)}, {Rule("Deny", FromAll)}]"));
        Assert.True(Allowed(model, "bar/bar", "sensitive/sensitive", port: 8080)); // passed, then allowed by Calico
        Assert.False(Allowed(model, "bar/bar", "sensitive/sensitive", port: 80)); // passed, Calico isolates and allows only 8080
        Assert.False(Allowed(model, "foo/a", "sensitive/sensitive", port: 8080)); // denied by the admin policy before Calico
    }

    [Fact]
    public void Egress_networks_select_pods_by_their_addresses_and_say_so_when_addresses_are_unknown()
    {
        string deny = Anp("no-internal", 10, "{namespaces: {matchLabels: {team: foo}}}", egress: "[{name: internal, action: Deny, to: [{networks: [10.0.0.0/8]}]}]");

        // Manifests without pod addresses: the pods are not matched, and the answer says it may be wrong.
        NetworkModel unknown = Build(Cluster + deny);
        ConnectivityResult guess = ConnectivityVerdict.Decide(unknown, At(unknown, "foo/a"), At(unknown, "bar/bar"), "TCP", 80);
        Assert.True(guess.Allowed);
        Assert.Equal(NetworkCompleteness.Partial, guess.Completeness);
        Assert.Contains(guess.CompletenessNotes, n => n.Contains("10.0.0.0/8", StringComparison.Ordinal));

        // With the pods' addresses (a live snapshot), the networks peer selects the pod inside it, exactly.
        string withAddresses = Namespace("foo", "{team: foo}") + Namespace("bar", "{team: bar}")
            + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: foo, labels: {app: a}}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 192.168.3.4}\n"
            + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: bar, namespace: bar, labels: {app: bar}}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 10.1.2.3}\n";
        NetworkModel known = Build(withAddresses + deny);
        ConnectivityResult exact = ConnectivityVerdict.Decide(known, At(known, "foo/a"), At(known, "bar/bar"), "TCP", 80);
        Assert.False(exact.Allowed);
        Assert.Equal(NetworkCompleteness.Exact, exact.Completeness);
    }
}
