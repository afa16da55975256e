using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Rbac;

/// <summary>Risky-grant messages are composed when read; they say what they said when built at once.</summary>
public class RiskyGrantMessageTests
{
    private const string Cluster = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: cluster-admin}
        rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: secret-reader}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: ops-admin}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: team-admin, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: User, name: alice}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: reads, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
        subjects: [{kind: ServiceAccount, name: app, namespace: team}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: app-1, namespace: team}
        spec: {serviceAccountName: app, containers: [{name: c, image: x}]}
        """;

    private static List<Finding> Findings() => RbacRiskAnalyzer.Analyze(RbacPolicy.Build(RbacFixtures.FromYaml(Cluster)));

    [Fact]
    public void Cluster_wide_namespaced_and_permission_grants_read_as_before()
    {
        List<Finding> findings = Findings();

        Assert.Equal("ServiceAccount:ci/deployer is cluster-admin: ClusterRoleBinding/ops-admin grants ClusterRole/cluster-admin with every verb on every resource.",
            Assert.Single(findings, f => f.RuleId == RbacRules.ClusterAdminBound && f.Name == "ops-admin").Message);
        Assert.Equal("User:alice has full control of namespace team (secrets and RBAC included) through RoleBinding/team/team-admin -> ClusterRole/cluster-admin.",
            Assert.Single(findings, f => f.RuleId == RbacRules.ClusterAdminBound && f.Name == "team-admin").Message);
        Finding reads = Assert.Single(findings, f => f.Name == "reads" && f.Evidence.ContainsKey("Rules") && f.Message.Contains(" can ", StringComparison.Ordinal));
        Assert.StartsWith("ServiceAccount:team/app can ", reads.Message, StringComparison.Ordinal);
        Assert.Contains(" in namespace team through RoleBinding/team/reads -> ClusterRole/secret-reader (rule: ", reads.Message, StringComparison.Ordinal);
        Assert.EndsWith(" 1 running pod(s) use this service account, so compromising one yields it: team/app-1.", reads.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_composed_message_is_built_once_and_survives_stamping_with_an_origin()
    {
        int composed = 0;
        Finding finding = RuleCatalog.CreateFinding(RbacRules.UnusedRole, new ResourceRef("ClusterRole", null, "x"), () => $"composed {++composed}");

        Assert.Equal(0, composed); // nothing is built until someone reads it
        Assert.Equal("composed 1", finding.Message);
        Assert.Equal("composed 1", finding.Message);
        Assert.Equal(1, composed);

        Finding unread = RuleCatalog.CreateFinding(RbacRules.UnusedRole, new ResourceRef("ClusterRole", null, "y"), () => "late text");
        Finding stamped = unread.WithOrigin("prod", "prod-admin");
        Assert.Equal("late text", stamped.Message);
        Assert.Equal("prod-admin", stamped.Context);
        Assert.Equal($"[{stamped.Severity}] prod-admin: {stamped.RuleId} ClusterRole/y: late text", stamped.ToString());
    }

    private sealed class CountingMessage(string text) : ComposedMessage
    {
        public int Composed { get; private set; }

        public override string Compose() => $"{text} {++Composed}";
    }

    [Fact]
    public void A_message_object_is_composed_once_even_across_stamped_copies()
    {
        var parts = new CountingMessage("grant");
        Finding finding = RuleCatalog.CreateFinding(RbacRules.UnusedRole, new ResourceRef("ClusterRole", null, "x"), parts);
        Finding stampedEarly = finding.WithOrigin("prod", "prod-admin");
        Assert.Equal(0, parts.Composed);

        Assert.Equal("grant 1", finding.Message);
        Assert.Equal("grant 1", finding.Message);
        Assert.Equal("grant 1", finding.WithOrigin("prod", "prod-admin").Message); // stamped after reading: the text, not the parts
        Assert.Equal(1, parts.Composed);
        Assert.Equal("grant 2", stampedEarly.Message); // stamped before: it composes its own
    }

    [Fact]
    public void Findings_of_one_rule_share_its_texts_and_a_finding_made_directly_keeps_what_it_was_given()
    {
        Finding first = RuleCatalog.CreateFinding(RbacRules.UnusedRole, new ResourceRef("ClusterRole", null, "a"), "a is unused");
        Finding second = RuleCatalog.CreateFinding(RbacRules.UnusedRole, new ResourceRef("ClusterRole", null, "b"), () => "b is unused", severity: null);
        SecurityRule rule = RuleCatalog.Get(RbacRules.UnusedRole);
        Assert.Equal((rule.Id, rule.Title, rule.Category, rule.Remediation), (first.RuleId, first.Title, first.Category, first.Remediation));
        Assert.Equal(rule.References, first.References);
        Assert.Same(first.Remediation, second.Remediation);
        Assert.Same(first.References, second.References);

        var direct = new Finding("KSEC-X-001", null!, Severity.High, "Custom", new ResourceRef("Pod", "ns", "p"), "m", "fix it", new[] { "CIS 5.1.1" },
            new Dictionary<string, string> { ["K"] = "V" }, "c1", "ctx1");
        Assert.Equal(("KSEC-X-001", string.Empty, Severity.High, "Custom", "m", "fix it", "ctx1", "c1"),
            (direct.RuleId, direct.Title, direct.Severity, direct.Category, direct.Message, direct.Remediation, direct.Context, direct.Cluster));
        Assert.Equal(new[] { "CIS 5.1.1" }, direct.References);
        Assert.Equal("V", direct.Evidence["K"]);
        Assert.Throws<ArgumentException>(() => new Finding("", "t", Severity.Low, "c", new ResourceRef("Pod", "ns", "p"), "m", "r"));
    }
}
