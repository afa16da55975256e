using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Rbac.RbacFixtures;

namespace KubeSecurity.Core.Tests.Rbac;

public class RbacRiskAnalyzerTests
{
    private static List<Finding> Review(string yaml, bool includeDefaults = false) =>
        RbacRiskAnalyzer.Analyze(Policy(yaml), new RbacReviewOptions { IncludeSystemDefaults = includeDefaults });

    [Fact]
    public void Every_planted_rbac_problem_of_the_demo_cluster_is_found()
    {
        List<Finding> findings = RbacRiskAnalyzer.Analyze(Demo());

        // DEMO-RBAC-1: cluster-admin for the CI deployer, with its running pod named.
        Finding deployer = Assert.Single(findings, f => f.RuleId == RbacRules.ClusterAdminBound && f.Name == "ci-deployer-cluster-admin");
        Assert.Equal(Severity.Critical, deployer.Severity);
        Assert.Equal("ServiceAccount:ci/deployer", deployer.Evidence["Subject"]);
        // DEMO-RBAC-2: the */*/* Role in payments (namespace-wide full control).
        Finding wildcardRole = Assert.Single(findings, f => f.RuleId == RbacRules.ClusterAdminBound && f.Name == "payments-operators");
        Assert.Equal(Severity.High, wildcardRole.Severity);
        Assert.Contains("namespace payments", wildcardRole.Message, StringComparison.Ordinal);
        // DEMO-RBAC-3: every authenticated user reads every secret.
        Assert.Contains(findings, f => f.RuleId == RbacRules.AllAuthenticatedBinding && f.Name == "all-users-read-secrets" && f.Severity == Severity.High);
        Assert.Contains(findings, f => f.RuleId == RbacRules.SecretRead && f.Name == "all-users-read-secrets" && f.Severity == Severity.High);
        Assert.Contains(findings, f => f.RuleId == RbacRules.WildcardRule && f.Name == "all-users-read-secrets");
        // DEMO-RBAC-4: the dangling binding.
        Assert.Contains(findings, f => f.RuleId == RbacRules.MissingRole && f.Name == "old-auditor" && f.Message.Contains("auditor-v1", StringComparison.Ordinal));
        // DEMO-RBAC-5: the default service account with edit, and what edit implies.
        Assert.Contains(findings, f => f.RuleId == RbacRules.DefaultServiceAccountBound && f.Name == "default-sa-edit");
        Assert.Contains(findings, f => f.RuleId == RbacRules.PodExec && f.Name == "default-sa-edit" && f.Severity == Severity.Medium);
        Assert.Contains(findings, f => f.RuleId == RbacRules.TokenCreate && f.Name == "default-sa-edit");
        // DEMO-RBAC-6: aws-auth to system:masters.
        Finding aws = Assert.Single(findings, f => f.RuleId == RbacRules.AwsAuthMasters);
        Assert.Equal("arn:aws:iam::111122223333:role/ops-admin", aws.Evidence["CloudIdentity"]);

        // The API server's own defaults are not findings.
        Assert.DoesNotContain(findings, f => f.Name is "cluster-admin" or "admin" or "edit" or "view");
    }

    [Fact]
    public void Findings_about_a_service_account_name_the_running_pods_that_carry_it()
    {
        List<Finding> findings = Review(
            ClusterRole("reader", "[{apiGroups: [''], resources: [secrets], verbs: [list]}]") +
            Binding(null, "reader", "ClusterRole", "reader", "[{kind: ServiceAccount, name: app, namespace: web}]") +
            ServiceAccount("web", "app") + Pod("web", "app-1", "app") + Pod("web", "other", "default"));

        Finding finding = Assert.Single(findings, f => f.RuleId == RbacRules.SecretRead);
        Assert.Equal("web/app-1", finding.Evidence["Pods"]);
        Assert.Contains("web/app-1", finding.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Violations => new()
    {
        { RbacRules.WildcardRule, "[{apiGroups: [apps], resources: ['*'], verbs: [get]}]", "[{apiGroups: [apps], resources: [deployments], verbs: [get]}]" },
        { RbacRules.SecretRead, "[{apiGroups: [''], resources: [secrets], verbs: [watch]}]", "[{apiGroups: [''], resources: [configmaps], verbs: [get, list, watch]}]" },
        { RbacRules.PodExec, "[{apiGroups: [''], resources: [pods/portforward], verbs: [create]}]", "[{apiGroups: [''], resources: [pods, pods/log], verbs: [get]}]" },
        { RbacRules.WorkloadCreate, "[{apiGroups: [batch], resources: [cronjobs], verbs: [create]}]", "[{apiGroups: [batch], resources: [cronjobs], verbs: [get, delete]}]" },
        { RbacRules.EscalateOrBind, "[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}]", "[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [get]}]" },
        { RbacRules.Impersonate, "[{apiGroups: [''], resources: [users, groups], verbs: [impersonate]}]", "[{apiGroups: [''], resources: [users], verbs: [get]}]" },
        { RbacRules.TokenCreate, "[{apiGroups: [''], resources: [serviceaccounts/token], verbs: [create]}]", "[{apiGroups: [''], resources: [serviceaccounts], verbs: [get]}]" },
        { RbacRules.NodeProxy, "[{apiGroups: [''], resources: [nodes/proxy], verbs: [get]}]", "[{apiGroups: [''], resources: [nodes/metrics], verbs: [get]}]" },
        { RbacRules.CsrApproval, "[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}]", "[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create, get]}]" },
        { RbacRules.WebhookWrite, "[{apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [delete]}]", "[{apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [list]}]" },
        { RbacRules.PersistentVolumeCreate, "[{apiGroups: [''], resources: [persistentvolumes], verbs: [create]}]", "[{apiGroups: [''], resources: [persistentvolumeclaims], verbs: [create]}]" },
        { RbacRules.ClusterAdminBound, "[{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]", "[{apiGroups: ['*'], resources: ['*'], verbs: [get]}]" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Each_risky_grant_rule_flags_its_violation_and_not_the_compliant_neighbour(string ruleId, string violating, string compliant)
    {
        const string Subject = "[{kind: User, name: pat, apiGroup: rbac.authorization.k8s.io}]";
        List<Finding> bad = Review(ClusterRole("r", violating) + Binding(null, "b", "ClusterRole", "r", Subject));
        List<Finding> good = Review(ClusterRole("r", compliant) + Binding(null, "b", "ClusterRole", "r", Subject));

        Finding finding = Assert.Single(bad, f => f.RuleId == ruleId);
        Assert.Equal("User:pat", finding.Evidence["Subject"]);
        Assert.Equal("ClusterRole/r", finding.Evidence["Role"]);
        Assert.Equal(RuleCatalog.Get(ruleId).Severity, finding.Severity);
        Assert.DoesNotContain(good, f => f.RuleId == ruleId);
    }

    [Fact]
    public void The_same_grant_in_one_namespace_is_one_level_lower_and_cluster_only_risks_do_not_apply_there()
    {
        string rules = "[{apiGroups: [''], resources: [secrets, nodes/proxy], verbs: [get]}]";
        List<Finding> findings = Review(ClusterRole("r", rules) + Binding("team", "b", "ClusterRole", "r", "[{kind: User, name: pat, apiGroup: rbac.authorization.k8s.io}]"));

        Assert.Equal(Severity.Medium, Assert.Single(findings, f => f.RuleId == RbacRules.SecretRead).Severity);
        Assert.DoesNotContain(findings, f => f.RuleId == RbacRules.NodeProxy);
    }

    [Fact]
    public void Subject_rules_anonymous_all_authenticated_missing_service_account_and_unused_roles()
    {
        string role = ClusterRole("r", "[{apiGroups: [''], resources: [pods], verbs: [get]}]");
        List<Finding> findings = Review(role +
            Binding(null, "anon", "ClusterRole", "r", "[{kind: Group, name: 'system:unauthenticated', apiGroup: rbac.authorization.k8s.io}]") +
            Binding(null, "everyone", "ClusterRole", "r", "[{kind: Group, name: 'system:authenticated', apiGroup: rbac.authorization.k8s.io}]") +
            Binding("apps", "ghost-sa", "ClusterRole", "r", "[{kind: ServiceAccount, name: gone}]") +
            ServiceAccount("apps", "present") + Binding("apps", "present-sa", "ClusterRole", "r", "[{kind: ServiceAccount, name: present}]") +
            ClusterRole("orphan", "[{apiGroups: [''], resources: [pods], verbs: [get]}]"));

        Assert.Equal(Severity.Critical, Assert.Single(findings, f => f.RuleId == RbacRules.AnonymousBinding).Severity);
        Assert.Single(findings, f => f.RuleId == RbacRules.AllAuthenticatedBinding && f.Name == "everyone");
        Assert.Single(findings, f => f.RuleId == RbacRules.MissingServiceAccount && f.Name == "ghost-sa");
        Assert.Single(findings, f => f.RuleId == RbacRules.UnusedRole && f.Name == "orphan");
        Assert.DoesNotContain(findings, f => f.RuleId == RbacRules.UnusedRole && f.Name == "r");
    }

    [SharedDataFact]
    public void System_defaults_are_skipped_unless_asked_for_and_then_the_control_plane_grants_show()
    {
        RbacPolicy defaults = RbacPolicy.Build(FromYaml(string.Empty, Bootstrap));
        Assert.Empty(RbacRiskAnalyzer.Analyze(defaults));
        List<Finding> all = RbacRiskAnalyzer.Analyze(defaults, new RbacReviewOptions { IncludeSystemDefaults = true });
        Assert.Contains(all, f => f.RuleId == RbacRules.ClusterAdminBound && f.Evidence["Subject"] == "Group:system:masters");
        Assert.Contains(all, f => f.RuleId == RbacRules.SecretRead && f.Evidence["Subject"] == "User:system:kube-controller-manager");
    }
}
