using KubeSecurity.Core.Rbac;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Rbac.RbacFixtures;

namespace KubeSecurity.Core.Tests.Rbac;

/// <summary>Decisions over the Kubernetes default roles, checked against what the RBAC documentation says they allow.</summary>
public class RbacAuthorizerTests
{
    private static RbacPolicy DefaultsWith(string yaml) => Policy(yaml, Bootstrap);

    private const string Bindings = """
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: viewers, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{kind: User, name: vera, apiGroup: rbac.authorization.k8s.io}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: editors, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
        subjects: [{kind: User, name: ed, apiGroup: rbac.authorization.k8s.io}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: admins, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
        subjects: [{kind: Group, name: team-admins, apiGroup: rbac.authorization.k8s.io}]
        """;

    [SharedDataFact]
    public void View_reads_most_objects_but_not_secrets_or_roles_and_writes_nothing()
    {
        RbacPolicy policy = DefaultsWith(Bindings);
        Assert.True(Can(policy, "User:vera", "get", "pods", "team").Allowed);
        Assert.True(Can(policy, "User:vera", "list", "deployments", "team", "apps").Allowed);
        Assert.False(Can(policy, "User:vera", "get", "secrets", "team").Allowed);
        Assert.False(Can(policy, "User:vera", "list", "roles", "team", "rbac.authorization.k8s.io").Allowed);
        Assert.False(Can(policy, "User:vera", "create", "pods", "team").Allowed);
        Assert.False(Can(policy, "User:vera", "get", "pods", "other").Allowed);
    }

    [SharedDataFact]
    public void Edit_writes_workloads_and_reads_secrets_but_cannot_touch_rbac()
    {
        RbacPolicy policy = DefaultsWith(Bindings);
        Assert.True(Can(policy, "User:ed", "create", "deployments", "team", "apps").Allowed);
        Assert.True(Can(policy, "User:ed", "get", "secrets", "team").Allowed);
        Assert.True(Can(policy, "User:ed", "create", "pods/exec", "team").Allowed);
        Assert.False(Can(policy, "User:ed", "create", "rolebindings", "team", "rbac.authorization.k8s.io").Allowed);
        Assert.False(Can(policy, "User:ed", "update", "resourcequotas", "team").Allowed);
    }

    [SharedDataFact]
    public void Admin_manages_rbac_in_its_namespace_only_and_a_group_binding_covers_its_members()
    {
        RbacPolicy policy = DefaultsWith(Bindings);
        RbacAccessResult allowed = policy.Authorize(RbacIdentity.For(RbacSubject.User("amy"), new[] { "team-admins" }),
            RbacRequest.ForResource("create", "rolebindings", "rbac.authorization.k8s.io", "team"));
        Assert.True(allowed.Allowed);
        Assert.Contains("RoleBinding/team/admins", allowed.Reason, StringComparison.Ordinal);
        Assert.False(Can(policy, "Group:team-admins", "create", "rolebindings", "other", "rbac.authorization.k8s.io").Allowed);

        // Cluster-scoped requests are never granted by a RoleBinding, even to a ClusterRole.
        RbacAccessResult nodes = Can(policy, "Group:team-admins", "list", "namespaces");
        Assert.False(nodes.Allowed);
    }

    [SharedDataFact]
    public void Default_cluster_bindings_let_everyone_discover_and_unauthenticated_users_see_health()
    {
        RbacPolicy policy = DefaultsWith(string.Empty);
        var anonymous = RbacIdentity.For(RbacSubject.User(RbacIdentity.Anonymous));
        Assert.True(policy.Authorize(anonymous, RbacRequest.ForUrl("get", "/healthz")).Allowed);
        Assert.True(policy.Authorize(anonymous, RbacRequest.ForUrl("get", "/version")).Allowed);
        Assert.False(policy.Authorize(anonymous, RbacRequest.ForUrl("get", "/api")).Allowed);

        var anyone = RbacIdentity.For(RbacSubject.User("someone"));
        Assert.True(policy.Authorize(anyone, RbacRequest.ForUrl("get", "/apis/apps/v1")).Allowed);
        Assert.True(policy.Authorize(anyone, RbacRequest.ForResource("create", "selfsubjectaccessreviews", "authorization.k8s.io")).Allowed);
        Assert.False(policy.Authorize(anyone, RbacRequest.ForResource("list", "pods", ns: "default")).Allowed);
    }

    [SharedDataFact]
    public void Who_can_answers_name_the_default_control_plane_identities()
    {
        RbacPolicy policy = DefaultsWith(Bindings);
        List<string> bindPods = policy.WhoCan(RbacRequest.ForResource("create", "pods/binding", ns: "team"), false).Select(r => r.Subject.ToString()).ToList();
        Assert.Contains("User:system:kube-scheduler", bindPods);
        Assert.Contains("Group:system:masters", bindPods);
        Assert.DoesNotContain("User:ed", bindPods);

        List<RbacPermission> secrets = policy.WhoCan(RbacRequest.ForResource("get", "secrets", ns: "team"), false);
        Assert.Contains(secrets, r => r.Subject == RbacSubject.User("ed") && r.Binding!.Name == "editors" && r.Role!.Name == "edit");
        Assert.Contains(secrets, r => r.Subject == RbacSubject.Group("team-admins"));
        Assert.DoesNotContain(secrets, r => r.Subject == RbacSubject.User("vera"));
        Assert.Contains(secrets, r => r.Subject == RbacSubject.User("system:kube-controller-manager"));
    }

    [Fact]
    public void Service_accounts_get_their_implicit_groups_and_a_subject_without_namespace_means_the_bindings_namespace()
    {
        RbacPolicy policy = Policy(
            ClusterRole("pod-reader", "[{apiGroups: [''], resources: [pods], verbs: [get]}]") +
            Binding("apps", "all-sas-in-apps", "ClusterRole", "pod-reader", "[{kind: Group, name: 'system:serviceaccounts:apps', apiGroup: rbac.authorization.k8s.io}]") +
            ClusterRole("cm-reader", "[{apiGroups: [''], resources: [configmaps], verbs: [get]}]") +
            Binding("apps", "implicit-ns", "ClusterRole", "cm-reader", "[{kind: ServiceAccount, name: worker}]") +
            ClusterRole("node-reader", "[{apiGroups: [''], resources: [nodes], verbs: [list]}]") +
            Binding(null, "sa-as-user", "ClusterRole", "node-reader", "[{kind: User, name: 'system:serviceaccount:apps:worker', apiGroup: rbac.authorization.k8s.io}]"));

        Assert.True(Can(policy, "ServiceAccount:apps/worker", "get", "pods", "apps").Allowed);
        Assert.False(Can(policy, "ServiceAccount:other/worker", "get", "pods", "apps").Allowed);
        Assert.True(Can(policy, "system:serviceaccount:apps:worker", "get", "configmaps", "apps").Allowed);
        Assert.True(Can(policy, "ServiceAccount:apps/worker", "list", "nodes").Allowed);
    }

    [Fact]
    public void A_binding_to_a_missing_role_grants_nothing_and_the_denial_says_why()
    {
        RbacPolicy policy = Policy(Binding(null, "ghost", "ClusterRole", "does-not-exist", "[{kind: User, name: gus, apiGroup: rbac.authorization.k8s.io}]") +
            Role("a", "reader", "[{apiGroups: [''], resources: [secrets], verbs: [get], resourceNames: [one]}]") +
            Binding("a", "reader", "Role", "reader", "[{kind: User, name: rita, apiGroup: rbac.authorization.k8s.io}]"));

        RbacAccessResult gus = Can(policy, "gus", "get", "pods", "a");
        Assert.False(gus.Allowed);
        // gus still holds what every authenticated user holds (discovery, self reviews); the reason names the dangling binding.
        Assert.Contains("ClusterRoleBinding/ghost names ClusterRole/does-not-exist, which does not exist, so it grants nothing", gus.Reason, StringComparison.Ordinal);
        Assert.Contains("other namespaces", Can(policy, "rita", "get", "secrets", "b", name: "one").Reason, StringComparison.Ordinal);
        Assert.Contains("resourceNames", Can(policy, "rita", "get", "secrets", "a").Reason, StringComparison.Ordinal);
        Assert.True(Can(policy, "rita", "get", "secrets", "a", name: "one").Allowed);
    }

    [Fact]
    public void System_masters_bypasses_rbac_whatever_the_bindings_say()
    {
        RbacPolicy policy = Policy(string.Empty);
        RbacAccessResult result = policy.Authorize(RbacIdentity.For(RbacSubject.User("kubernetes-admin"), new[] { "system:masters" }),
            RbacRequest.ForResource("delete", "nodes"));
        Assert.True(result.Allowed);
        Assert.Contains("system:masters", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregated_roles_collect_the_rules_of_the_roles_their_selectors_match_transitively()
    {
        RbacPolicy policy = Demo();
        RbacRole admin = policy.FindRole("ClusterRole", null, "admin")!;
        Assert.Contains(admin.Rules, r => r.Resources.Contains("rolebindings"));
        Assert.Contains(admin.Rules, r => r.Resources.Contains("pods/exec")); // from edit
        Assert.Contains(admin.Rules, r => r.Resources.Contains("networkpolicies")); // from view, through edit
        RbacRole view = policy.FindRole("ClusterRole", null, "view")!;
        Assert.DoesNotContain(view.Rules, r => r.Resources.Contains("secrets"));
        Assert.Contains("edit", policy.FindRole("ClusterRole", null, "view")!.AggregatedInto);
    }

    [Fact]
    public void Aggregation_honours_match_expressions_and_reports_a_cycle_without_hanging()
    {
        RbacPolicy policy = Policy("""
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: a, labels: {team: a}}
            aggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: team, operator: In, values: [b]}]}]}
            rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: b, labels: {team: b}}
            aggregationRule: {clusterRoleSelectors: [{matchLabels: {team: a}}]}
            rules: [{apiGroups: [''], resources: [services], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: c, labels: {team: c}}
            aggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: team, operator: Exists}, {key: team, operator: NotIn, values: [a, b, c]}]}]}
            """);

        Assert.Contains(policy.Problems, p => p.Message.Contains("cycle", StringComparison.Ordinal));
        Assert.Contains(policy.FindRole("ClusterRole", null, "a")!.Rules, r => r.Resources.Contains("services"));
        Assert.Empty(policy.FindRole("ClusterRole", null, "c")!.Rules);
    }

    [Fact]
    public void Malformed_rules_and_bindings_are_reported_one_by_one_and_the_rest_still_counts()
    {
        RbacPolicy policy = Policy("""
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: messy}
            rules:
            - {apiGroups: [''], resources: [pods], verbs: [gett, list]}
            - {resources: [secrets], verbs: [get]}
            - {apiGroups: [''], verbs: [get]}
            - "not a rule"
            - {apiGroups: [''], resources: [configmaps], nonResourceURLs: [/x], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: messy}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: messy}
            subjects: [{kind: Robot, name: r2}, {kind: User, name: mo, apiGroup: rbac.authorization.k8s.io}, {kind: ServiceAccount, name: nons}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: bad-ref}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Deployment, name: x}
            """);

        string problems = string.Join("\n", policy.Problems);
        Assert.Contains("verb 'gett'", problems, StringComparison.Ordinal);
        Assert.Contains("no apiGroups", problems, StringComparison.Ordinal);
        Assert.Contains("neither resources nor nonResourceURLs", problems, StringComparison.Ordinal);
        Assert.Contains("not a rule object", problems, StringComparison.Ordinal);
        Assert.Contains("both resources and nonResourceURLs", problems, StringComparison.Ordinal);
        Assert.Contains("unknown kind 'Robot'", problems, StringComparison.Ordinal);
        Assert.Contains("has no namespace", problems, StringComparison.Ordinal);
        Assert.Contains("ClusterRoleBinding/bad-ref", problems, StringComparison.Ordinal);
        Assert.True(Can(policy, "mo", "list", "pods", "x").Allowed);
        Assert.False(Can(policy, "mo", "get", "secrets", "x").Allowed);
    }

    [Fact]
    public void Aws_auth_identities_appear_in_who_can_and_a_mapped_user_gets_its_groups()
    {
        RbacPolicy policy = Demo();
        Assert.Contains(policy.AwsAuth, m => m.CloudIdentity == "arn:aws:iam::111122223333:role/ops-admin" && m.Groups.Contains("system:masters"));

        List<RbacPermission> rows = policy.WhoCan(RbacRequest.ForResource("delete", "pods", ns: "payments"), false);
        Assert.Contains(rows, r => r.Subject.Name == "arn:aws:iam::111122223333:user/payments-lead" && r.Via!.Contains("payments-oncall", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Subject.Name == "arn:aws:iam::111122223333:role/ops-admin" && r.Via!.Contains("system:masters", StringComparison.Ordinal));
    }
}
