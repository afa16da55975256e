using KubeSecurity.Core.Rbac;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Rbac.RbacFixtures;

namespace KubeSecurity.Core.Tests.Rbac;

public class RbacEscalationTests
{
    private const string AdminRole = "[{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]";

    private static List<RbacEscalationPath> Paths(string yaml, string subject, string target = "cluster-admin", string? ns = null, int depth = 4)
    {
        RbacPolicy policy = Policy(yaml);
        RbacEscalationGraph graph = RbacEscalationGraph.Build(policy, EscalationTarget.Parse(target, ns));
        return graph.PathsOf(RbacSubject.Parse(subject), depth, alternatives: true, includeDirect: true);
    }

    [Fact]
    public void Creating_pods_where_a_cluster_admin_service_account_lives_is_a_two_step_path()
    {
        string yaml = ClusterRole("admin-all", AdminRole) + ServiceAccount("ops", "bot") + ServiceAccount("ops", "default") +
            Binding(null, "bot-admin", "ClusterRole", "admin-all", "[{kind: ServiceAccount, name: bot, namespace: ops}]") +
            ClusterRole("deployer", "[{apiGroups: [apps], resources: [deployments], verbs: [create]}]") +
            Binding("ops", "ci-deploys", "ClusterRole", "deployer", "[{kind: ServiceAccount, name: builder, namespace: ci}]");

        RbacEscalationPath path = Assert.Single(Paths(yaml, "ServiceAccount:ci/builder"));
        Assert.Equal(2, path.Length);
        Assert.Equal("RunPodAs", path.Steps[0].Technique);
        Assert.Equal("ServiceAccount:ops/bot", path.Steps[0].To);
        Assert.Contains("RoleBinding/ops/ci-deploys", path.Steps[0].Grant, StringComparison.Ordinal);
        Assert.Equal("Holds", path.Steps[1].Technique);
        Assert.Contains("ClusterRoleBinding/bot-admin", path.Steps[1].Grant, StringComparison.Ordinal);
        Assert.Equal("ServiceAccount:ci/builder -> ServiceAccount:ops/bot -> cluster-admin", path.Chain);

        // Without a way in, no path; and a depth of 1 is too short.
        Assert.Empty(Paths(yaml, "ServiceAccount:ops/default"));
        Assert.Empty(Paths(yaml, "ServiceAccount:ci/builder", depth: 1));
    }

    [Fact]
    public void Impersonating_system_masters_bind_escalate_csr_webhook_and_node_proxy_each_reach_cluster_admin_in_one_step()
    {
        (string Rules, string Technique)[] cases =
        {
            ("[{apiGroups: [''], resources: [groups], verbs: [impersonate]}]", "ImpersonateMasters"),
            ("[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]", "BindRole"),
            ("[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, patch]}]", "EscalateRole"),
            ("[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests, certificatesigningrequests/approval], verbs: [create, update]}, {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: [kubernetes.io/kube-apiserver-client]}]", "ApproveOwnCsr"),
            ("[{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [create]}]", "MutatingWebhook"),
            ("[{apiGroups: [''], resources: [nodes/proxy], verbs: [get]}]", "NodeProxy"),
        };
        foreach ((string rules, string technique) in cases)
        {
            string yaml = ClusterRole("r", rules) + Binding(null, "b", "ClusterRole", "r", "[{kind: User, name: eve, apiGroup: rbac.authorization.k8s.io}]");
            RbacEscalationPath path = Assert.Single(Paths(yaml, "User:eve"));
            Assert.Equal(technique, Assert.Single(path.Steps).Technique);
        }

        // bind restricted to view by resourceNames does not reach cluster-admin.
        string limited = ClusterRole("r", "[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [view]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]") +
            Binding(null, "b", "ClusterRole", "r", "[{kind: User, name: eve, apiGroup: rbac.authorization.k8s.io}]");
        Assert.Empty(Paths(limited, "User:eve"));
    }

    [Fact]
    public void Token_creation_exec_and_legacy_token_secrets_lead_to_the_service_account_behind_them()
    {
        string yaml = ClusterRole("admin-all", AdminRole) + ServiceAccount("ops", "bot") + Pod("ops", "bot-0", "bot") +
            Binding(null, "bot-admin", "ClusterRole", "admin-all", "[{kind: ServiceAccount, name: bot, namespace: ops}]") +
            """
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: bot-token, namespace: ops, annotations: {kubernetes.io/service-account.name: bot}}
            type: kubernetes.io/service-account-token
            """ + "\n" +
            Role("ops", "tokens", "[{apiGroups: [''], resources: [serviceaccounts/token], verbs: [create], resourceNames: [bot]}]") +
            Binding("ops", "t", "Role", "tokens", "[{kind: User, name: tok, apiGroup: rbac.authorization.k8s.io}]") +
            Role("ops", "exec", "[{apiGroups: [''], resources: [pods/exec], verbs: [create]}]") +
            Binding("ops", "e", "Role", "exec", "[{kind: User, name: ex, apiGroup: rbac.authorization.k8s.io}]") +
            Role("ops", "secrets", "[{apiGroups: [''], resources: [secrets], verbs: [get]}]") +
            Binding("ops", "s", "Role", "secrets", "[{kind: User, name: sec, apiGroup: rbac.authorization.k8s.io}]");

        Assert.Equal("CreateToken", Paths(yaml, "User:tok").Single().Steps[0].Technique);
        Assert.Contains("ops/bot-0", Paths(yaml, "User:ex").Single().Steps[0].Description, StringComparison.Ordinal);
        Assert.Equal("ReadTokenSecret", Paths(yaml, "User:sec").Single().Steps[0].Technique);
    }

    [Fact]
    public void A_named_permission_can_be_the_target()
    {
        string yaml = Role("vault", "reader", "[{apiGroups: [''], resources: [secrets], verbs: [get]}]") + ServiceAccount("vault", "reader") +
            Binding("vault", "reader", "Role", "reader", "[{kind: ServiceAccount, name: reader, namespace: vault}]") +
            Role("vault", "runner", "[{apiGroups: [''], resources: [pods], verbs: [create]}]") +
            Binding("vault", "runner", "Role", "runner", "[{kind: User, name: rob, apiGroup: rbac.authorization.k8s.io}]");

        RbacEscalationPath path = Assert.Single(Paths(yaml, "User:rob", "get secrets", "vault"));
        Assert.Equal("get secrets in vault", path.Target);
        Assert.Equal(new[] { "RunPodAs", "Holds" }, path.Steps.Select(s => s.Technique));
        Assert.Empty(Paths(yaml, "User:rob", "get secrets", "elsewhere"));
        Assert.Throws<FormatException>(() => EscalationTarget.Parse("get", null));
    }

    [Fact]
    public void Demo_cluster_default_service_account_and_ci_deployer_paths()
    {
        RbacPolicy policy = Demo();
        RbacEscalationGraph graph = RbacEscalationGraph.Build(policy, EscalationTarget.Parse(null, null));
        // The payments on-call group can run pods in payments; the deployer is cluster-admin already.
        Assert.Contains(graph.PathsOf(RbacSubject.ServiceAccount("ci", "deployer"), 4, true, true), p => p.Steps[0].Technique == "Holds");
        Assert.Contains(graph.PathsOf(RbacSubject.User("ops-admin"), 4, true, true), p => p.Steps[0].Technique == "Holds");
        Assert.Empty(graph.PathsOf(RbacSubject.ServiceAccount("ci", "deployer"), 4, false, false));

        // Every authenticated identity may get anything (nodes/proxy included) and read every secret: the
        // default account reaches cluster-admin through the kubelet, or by reading the deployer's token.
        List<RbacEscalationPath> paths = graph.PathsOf(RbacSubject.ServiceAccount("default", "default"), 4, true, false);
        Assert.Equal("NodeProxy", Assert.Single(paths[0].Steps).Technique);
        RbacEscalationPath path = paths.Single(p => p.Steps[0].Technique == "ReadTokenSecret");
        Assert.Equal(new[] { "ReadTokenSecret", "Holds" }, path.Steps.Select(s => s.Technique));
        Assert.Equal("ServiceAccount:ci/deployer", path.Steps[0].To);
        Assert.Contains("all-users-read-secrets", path.Steps[0].Grant, StringComparison.Ordinal);
    }

    [Fact]
    public void Alternatives_give_one_path_per_kind_of_first_move_and_grants_are_not_repeated()
    {
        string yaml = ClusterRole("admin-all", AdminRole) + ServiceAccount("ops", "bot") + ServiceAccount("ops", "bot2") +
            Binding(null, "bot-admin", "ClusterRole", "admin-all", "[{kind: ServiceAccount, name: bot, namespace: ops}, {kind: ServiceAccount, name: bot2, namespace: ops}]") +
            ClusterRole("power", "[{apiGroups: [''], resources: [serviceaccounts], verbs: [impersonate]}, {apiGroups: [''], resources: [pods], verbs: [create]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, update]}]") +
            Binding(null, "power", "ClusterRole", "power", "[{kind: User, name: pia, apiGroup: rbac.authorization.k8s.io}]");

        List<RbacEscalationPath> paths = Paths(yaml, "User:pia");
        Assert.Equal(paths.Count, paths.Select(p => p.Steps[0].Technique).Distinct().Count());
        Assert.Equal(new[] { "EscalateRole", "Impersonate", "RunPodAs" }, paths.Select(p => p.Steps[0].Technique).Order());
        RbacEscalationStep escalate = paths.Single(p => p.Steps[0].Technique == "EscalateRole").Steps[0];
        Assert.Single(escalate.Grant.Split("; "));
    }
}
