using System.Text.Json;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Rbac.RbacFixtures;

namespace KubeSecurity.Core.Tests.Rbac;

public class AuditLogAndCompareTests
{
    private static string Event(string id, string user, string verb, string? resource, string? ns = null, string? name = null, string group = "", string? sub = null, string? uri = null, string stage = "ResponseComplete", int code = 200) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["kind"] = "Event", ["apiVersion"] = "audit.k8s.io/v1", ["auditID"] = id, ["stage"] = stage, ["verb"] = verb,
            ["requestURI"] = uri ?? $"/api/v1/{resource}",
            ["user"] = new { username = user, groups = new[] { "system:authenticated" } },
            ["objectRef"] = resource is null ? null : new { resource, @namespace = ns, name, apiGroup = group, subresource = sub },
            ["responseStatus"] = new { code },
        });

    [Fact]
    public void The_generated_roles_cover_exactly_what_the_subject_did_grouped_by_namespace_and_group()
    {
        const string Sa = "system:serviceaccount:ci:builder";
        string log = string.Join("\n",
            Event("1", Sa, "get", "configmaps", "app", "settings", stage: "RequestReceived"),
            Event("1", Sa, "get", "configmaps", "app", "settings"),
            Event("2", Sa, "list", "pods", "app"),
            Event("3", Sa, "create", "deployments", "app", group: "apps"),
            Event("4", Sa, "patch", "deployments", "app", "web", group: "apps"),
            Event("5", Sa, "get", "pods", "app", "web-1", sub: "log"),
            Event("6", Sa, "list", "namespaces", null),
            Event("7", Sa, "get", null, uri: "/metrics?x=1"),
            Event("8", "someone-else", "delete", "secrets", "app", "x"),
            Event("9", Sa, "get", "secrets", "app", "token", code: 403),
            "{ this is not json",
            "{\"kind\":\"Event\"}");

        AuditLogRoleResult result = AuditLogRoleGenerator.Generate(new StringReader(log), "audit.log", RbacSubject.Parse(Sa), "builder-observed", includeResourceNames: false);

        Assert.Equal(8, result.Requests);
        Assert.Equal(1, result.DeniedRequests);
        Assert.Equal(2, result.Problems.Count);
        Assert.Contains("audit.log line 11", result.Problems[0], StringComparison.Ordinal);
        Assert.Equal(new[] { "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding" }, result.Objects.Select(o => o.Kind));

        // Load the generated objects into a policy: it must allow each observed request and nothing else seen.
        RbacPolicy policy = RbacPolicy.Build(new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, result.Objects));
        Assert.Empty(policy.Problems);
        Assert.True(Can(policy, Sa, "get", "configmaps", "app", name: "settings").Allowed);
        Assert.True(Can(policy, Sa, "create", "deployments", "app", "apps").Allowed);
        Assert.True(Can(policy, Sa, "get", "pods/log", "app", name: "web-1").Allowed);
        Assert.True(Can(policy, Sa, "list", "namespaces").Allowed);
        Assert.True(policy.Authorize(RbacIdentity.For(RbacSubject.Parse(Sa)), RbacRequest.ForUrl("get", "/metrics")).Allowed);
        Assert.False(Can(policy, Sa, "delete", "secrets", "app", name: "x").Allowed);
        Assert.False(Can(policy, Sa, "create", "deployments", "other", "apps").Allowed);
        Assert.False(Can(policy, Sa, "get", "pods/exec", "app").Allowed);
        Assert.Equal("ci", result.Objects.Single(o => o.Kind == "RoleBinding").Json.GetProperty("subjects")[0].GetProperty("namespace").GetString());
    }

    [Fact]
    public void Resource_names_restrict_only_the_verbs_that_act_on_one_object()
    {
        string log = string.Join("\n", Event("1", "alice", "get", "configmaps", "app", "a"), Event("2", "alice", "update", "configmaps", "app", "a"),
            Event("3", "alice", "list", "secrets", "app"));
        AuditLogRoleResult result = AuditLogRoleGenerator.Generate(new StringReader(log), "a.log", RbacSubject.User("alice"), "alice", includeResourceNames: true);
        RbacPolicy policy = RbacPolicy.Build(new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, result.Objects));

        Assert.True(Can(policy, "alice", "update", "configmaps", "app", name: "a").Allowed);
        Assert.False(Can(policy, "alice", "update", "configmaps", "app", name: "b").Allowed);
        Assert.True(Can(policy, "alice", "list", "secrets", "app").Allowed);
    }

    [Fact]
    public void Compare_reports_gained_and_lost_permissions_per_subject()
    {
        const string Subject = "[{kind: User, name: pat, apiGroup: rbac.authorization.k8s.io}]";
        RbacPolicy before = Policy(ClusterRole("r", "[{apiGroups: [''], resources: [pods], verbs: [get, list]}]") + Binding("team", "b", "ClusterRole", "r", Subject));
        RbacPolicy after = Policy(ClusterRole("r", "[{apiGroups: [''], resources: [pods], verbs: [get]}, {apiGroups: [''], resources: [secrets], verbs: [get]}]") +
            Binding("team", "b", "ClusterRole", "r", Subject) + Binding("other", "b", "ClusterRole", "r", "[{kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}]"));

        List<RbacPermissionChange> changes = RbacPermissionComparer.Compare(before, after);

        Assert.Contains(changes, c => c.Change == "Lost" && c.Subject == RbacSubject.User("pat") && c.Resource == "pods" && c.Verbs.SequenceEqual(new[] { "list" }));
        Assert.Contains(changes, c => c.Change == "Gained" && c.Subject == RbacSubject.User("pat") && c.Resource == "secrets" && c.Scope == "team");
        Assert.Contains(changes, c => c.Change == "Gained" && c.Subject == RbacSubject.Group("devs") && c.Scope == "other");
        Assert.DoesNotContain(changes, c => c.Subject == RbacSubject.User("pat") && c.Resource == "pods" && c.Verbs.Contains("get"));
        Assert.Empty(RbacPermissionComparer.Compare(before, before));
    }

    [Theory]
    [InlineData("User:alice", "User", "alice", null)]
    [InlineData("alice@example.com", "User", "alice@example.com", null)]
    [InlineData("system:kube-scheduler", "User", "system:kube-scheduler", null)]
    [InlineData("Group:system:masters", "Group", "system:masters", null)]
    [InlineData("ServiceAccount:ci/builder", "ServiceAccount", "builder", "ci")]
    [InlineData("sa:ci:builder", "ServiceAccount", "builder", "ci")]
    [InlineData("system:serviceaccount:ci:builder", "ServiceAccount", "builder", "ci")]
    public void Subjects_parse_from_the_forms_people_type(string text, string kind, string name, string? ns)
    {
        RbacSubject subject = RbacSubject.Parse(text);
        Assert.Equal(new RbacSubject(kind, name, ns), subject);
        Assert.True(RbacSubject.TryParse(subject.ToString(), out RbacSubject? again));
        Assert.Equal(subject, again);
    }

    [Theory]
    [InlineData("ServiceAccount:nonamespace")]
    [InlineData("system:serviceaccount:only-ns")]
    [InlineData("Group:")]
    [InlineData("  ")]
    public void Malformed_subjects_are_rejected(string text) => Assert.False(RbacSubject.TryParse(text, out _));
}
