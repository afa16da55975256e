using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Rbac;

/// <summary>
/// Offline input names the cluster's default roles without containing them: the Kubernetes
/// bootstrap policy stands in for them, and every answer that relies on it says so.
/// </summary>
public class DefaultRbacPolicyTests
{
    // Kubernetes Goat's insecure-rbac scenario: a service account bound to cluster-admin, nothing else.
    private const string InsecureRbac = """
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: superadmin, namespace: big-monolith}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: superadmin}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: ServiceAccount, name: superadmin, namespace: big-monolith}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: developers, namespace: shop}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
        subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: developers}]
        """;

    [Fact]
    public void A_binding_to_cluster_admin_in_manifests_alone_is_full_control_and_says_the_role_was_assumed()
    {
        List<Finding> findings = RbacRiskAnalyzer.Analyze(RbacFixtures.Policy(InsecureRbac + "\n"));

        Finding full = Assert.Single(findings, f => f.RuleId == RbacRules.ClusterAdminBound && f.Name == "superadmin");
        Assert.Contains("from the Kubernetes default (bootstrap) RBAC policy", full.Evidence["AssumedRole"], StringComparison.Ordinal);
        Assert.Contains("is not in the input", full.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.RuleId == RbacRules.MissingRole);
    }

    [Fact]
    public void A_binding_to_edit_gets_the_aggregated_rules_of_the_default_edit_role()
    {
        RbacPolicy policy = RbacFixtures.Policy(InsecureRbac + "\n");
        List<Finding> findings = RbacRiskAnalyzer.Analyze(policy);

        Assert.Contains(findings, f => f.RuleId == RbacRules.SecretRead && f.Name == "developers");
        Assert.Contains(findings, f => f.RuleId == RbacRules.PodExec && f.Name == "developers");
        Assert.Contains(policy.WhoCan(RbacRequest.ForResource("get", "secrets", ns: "shop"), false), p => p.Subject.Name == "developers");
        Assert.DoesNotContain(policy.WhoCan(RbacRequest.ForResource("get", "secrets", ns: "other"), false), p => p.Subject.Name == "developers");
    }

    [Fact]
    public void Input_that_holds_the_cluster_s_own_default_roles_is_taken_as_it_is()
    {
        const string OwnDefaults = """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: cluster-admin, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
            rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]
            """;
        RbacPolicy policy = RbacFixtures.Policy(OwnDefaults + "\n" + InsecureRbac + "\n");
        List<Finding> findings = RbacRiskAnalyzer.Analyze(policy);

        Assert.DoesNotContain(findings, f => f.RuleId == RbacRules.ClusterAdminBound);
        Assert.DoesNotContain(policy.Roles, r => r.IsAssumedDefault);
        Assert.Contains(findings, f => f.RuleId == RbacRules.MissingRole && f.Name == "developers");
    }

    [Fact]
    public void Who_can_rows_that_rest_on_an_assumed_role_or_binding_say_so_and_rows_from_the_input_do_not()
    {
        RbacPolicy policy = RbacFixtures.Policy(InsecureRbac + "\n");
        List<RbacPermission> rows = policy.WhoCan(RbacRequest.ForResource("delete", "nodes"), true);

        RbacPermission superadmin = Assert.Single(rows, p => p.Subject.Name == "superadmin");
        Assert.Equal("ClusterRole/cluster-admin from the Kubernetes default (bootstrap) RBAC policy", superadmin.AssumedDefault);
        // The default binding of system:masters to cluster-admin is assumed as a whole.
        RbacPermission masters = Assert.Single(rows, p => p.Subject.Name == "system:masters" && p.Binding is not null);
        Assert.Contains("ClusterRoleBinding/cluster-admin and ClusterRole/cluster-admin", masters.AssumedDefault, StringComparison.Ordinal);
        Assert.True(policy.AssumedRoleCount > 30);
        Assert.Equal(12, policy.AssumedBindingCount);
        Assert.Contains("-DefaultRbac Auto", policy.AssumptionNote(), StringComparison.Ordinal);
    }

    [Fact]
    public void Assumed_default_bindings_are_not_findings_even_when_system_defaults_are_reviewed()
    {
        RbacPolicy policy = RbacFixtures.Policy(InsecureRbac + "\n");
        List<Finding> findings = RbacRiskAnalyzer.Analyze(policy, new RbacReviewOptions { IncludeSystemDefaults = true });

        Assert.DoesNotContain(findings, f => f.Resource.Kind == "ClusterRoleBinding" && f.Name is "cluster-admin" or "system:public-info-viewer");
        Assert.DoesNotContain(findings, f => f.Resource.Kind == "ClusterRole" && f.Name is "admin" or "system:node");
    }

    [Fact]
    public void With_DefaultRbac_None_a_binding_to_a_default_role_the_input_lacks_grants_nothing()
    {
        RbacPolicy policy = RbacPolicy.Build(RbacFixtures.FromYaml(InsecureRbac + "\n"), DefaultRbacChoice.None);
        List<Finding> findings = RbacRiskAnalyzer.Analyze(policy);

        Assert.Contains(findings, f => f.RuleId == RbacRules.MissingRole && f.Name == "superadmin");
        Assert.DoesNotContain(findings, f => f.RuleId == RbacRules.ClusterAdminBound);
        Assert.Equal(0, policy.AssumedRoleCount + policy.AssumedBindingCount);
        Assert.Contains("-DefaultRbac None", policy.AssumptionNote(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_version_fills_in_each_default_missing_from_offline_input_that_holds_some()
    {
        const string SomeDefaults = """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: view, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
            rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]
            """;
        var snapshot = RbacFixtures.FromYaml(SomeDefaults + "\n" + InsecureRbac + "\n");
        Assert.True(DefaultRbacChoice.TryParse("v1.30", out DefaultRbacChoice version, out _));

        RbacPolicy auto = RbacPolicy.Build(snapshot);
        RbacPolicy named = RbacPolicy.Build(snapshot, version);

        Assert.Null(auto.FindRole("ClusterRole", null, "cluster-admin"));
        Assert.True(named.FindRole("ClusterRole", null, "cluster-admin")!.IsAssumedDefault);
        // The input's own view role wins over the default of the same name.
        Assert.False(named.FindRole("ClusterRole", null, "view")!.IsAssumedDefault);
    }

    [Theory]
    [InlineData("1.26")]
    [InlineData("latest")]
    [InlineData("1.3")]
    public void A_version_the_module_does_not_hold_is_refused_naming_the_ones_it_does(string text)
    {
        Assert.False(DefaultRbacChoice.TryParse(text, out _, out string error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains("1.27, 1.28", error, StringComparison.Ordinal);
    }
}
