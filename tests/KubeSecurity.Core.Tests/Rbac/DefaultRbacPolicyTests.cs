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
}
