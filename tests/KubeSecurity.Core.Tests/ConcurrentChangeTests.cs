using System.Text.Json.Nodes;
using KubeSecurity.Core.Live;
using KubeSecurity.Core.Repair;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Core.Tests;

/// <summary>
/// Every way the module changes a live object (apply of a repair plan or a confirmed change, subject
/// removal, binding and secret deletion) carries the version it read, so a change someone made in
/// between is refused by the API server (409 Conflict) and survives; nothing is overwritten.
/// </summary>
public class ConcurrentChangeTests
{
    private static IEnumerable<JsonObject> Objects() => new[]
    {
        JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}""")!.AsObject(),
        JsonNode.Parse("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"web","namespace":"shop"}}""")!.AsObject(),
        JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"shop"},"type":"Opaque","data":{"password":"b2xk"}}""")!.AsObject(),
        JsonNode.Parse("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"readers","namespace":"shop"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"ServiceAccount","name":"default","namespace":"shop"},{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"auditors"}]}""")!.AsObject(),
    };

    private static async Task<(KubeApiTestServer Server, KubeConnection Connection)> StartAsync()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync(Objects());
        return (server, KubeConnection.Open(new LiveConnectionOptions { KubeconfigPath = kubeconfig }));
    }

    /// <summary>Someone else's edit: the server stores a new version (a new resourceVersion).</summary>
    private static void ChangeConcurrently(KubeApiTestServer server, string plural, string name, Action<JsonObject> edit)
    {
        JsonObject changed = server.Get(plural, "shop", name)!;
        edit(changed);
        server.AddObjects(new[] { changed });
    }

    [Fact]
    public async Task A_repair_planned_on_an_object_that_changed_before_it_was_applied_is_refused_and_the_change_survives()
    {
        (KubeApiTestServer server, KubeConnection connection) = await StartAsync();
        await using (server)
        using (connection)
        {
            Finding finding = RuleCatalog.CreateFinding(SecretRules.UnneededTokenMount, new ResourceRef("ServiceAccount", "shop", "web"), "test");
            KubeObject current = await ObjectRemover.GetAsync(connection, "ServiceAccount", "shop", "web", CancellationToken.None);
            RepairPlan plan = Assert.IsType<RepairPlan>(RepairPlanner.Plan(finding, current, out _));
            ChangeConcurrently(server, "serviceaccounts", "web", sa => sa["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "pull" }));

            KubeApiException refused = await Assert.ThrowsAsync<KubeApiException>(() => ObjectApplier.ApplyAsync(connection, plan.After, CancellationToken.None));

            Assert.Equal((ApiFailure.Conflict, 409), (refused.Failure, refused.StatusCode));
            Assert.Contains("nothing was written", refused.Message, StringComparison.Ordinal);
            JsonObject stored = server.Get("serviceaccounts", "shop", "web")!;
            Assert.NotNull(stored["imagePullSecrets"]);
            Assert.Null(stored["automountServiceAccountToken"]);
        }
    }

    [Fact]
    public async Task A_change_confirmed_on_an_unchanged_object_is_applied()
    {
        (KubeApiTestServer server, KubeConnection connection) = await StartAsync();
        await using (server)
        using (connection)
        {
            KubeObject current = await ObjectRemover.GetAsync(connection, "ServiceAccount", "shop", "web", CancellationToken.None);
            ApplyResult result = await ObjectApplier.ApplyAsync(connection, SecretRemediation.WithAutomount(current, "shop", "web", false), CancellationToken.None);

            Assert.Equal("Replaced", result.Action);
            Assert.False(server.Get("serviceaccounts", "shop", "web")!["automountServiceAccountToken"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task Removing_a_subject_from_a_binding_that_gained_one_meanwhile_is_refused_and_the_new_subject_survives()
    {
        (KubeApiTestServer server, KubeConnection connection) = await StartAsync();
        await using (server)
        using (connection)
        {
            KubeObject binding = await BindingEditor.GetAsync(connection, "RoleBinding", "shop", "readers", CancellationToken.None);
            JsonArray remaining = BindingEditor.RemainingSubjects(binding, RbacSubject.ServiceAccount("shop", "default"), out _);
            ChangeConcurrently(server, "rolebindings", "readers", b => b["subjects"]!.AsArray().Add(new JsonObject { ["kind"] = "User", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = "jane" }));

            KubeApiException refused = await Assert.ThrowsAsync<KubeApiException>(() => BindingEditor.RemoveSubjectAsync(connection, binding, remaining, CancellationToken.None));

            Assert.Equal(409, refused.StatusCode);
            Assert.Equal(3, server.Get("rolebindings", "shop", "readers")!["subjects"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task Deleting_a_binding_whose_last_subject_goes_is_refused_when_it_changed_meanwhile()
    {
        (KubeApiTestServer server, KubeConnection connection) = await StartAsync();
        await using (server)
        using (connection)
        {
            KubeObject binding = await BindingEditor.GetAsync(connection, "RoleBinding", "shop", "readers", CancellationToken.None);
            ChangeConcurrently(server, "rolebindings", "readers", b => b["subjects"]!.AsArray().Add(new JsonObject { ["kind"] = "User", ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = "jane" }));

            KubeApiException refused = await Assert.ThrowsAsync<KubeApiException>(() => BindingEditor.RemoveSubjectAsync(connection, binding, new JsonArray(), CancellationToken.None));

            Assert.Equal(409, refused.StatusCode);
            Assert.NotNull(server.Get("rolebindings", "shop", "readers"));
        }
    }

    [Fact]
    public async Task Deleting_a_secret_that_was_rotated_after_it_was_read_is_refused_and_an_unchanged_one_is_deleted()
    {
        (KubeApiTestServer server, KubeConnection connection) = await StartAsync();
        await using (server)
        using (connection)
        {
            KubeObject secret = await ObjectRemover.GetAsync(connection, "Secret", "shop", "db", CancellationToken.None);
            ChangeConcurrently(server, "secrets", "db", s => s["data"]!["password"] = "bmV3");

            KubeApiException refused = await Assert.ThrowsAsync<KubeApiException>(() => ObjectRemover.DeleteAsync(connection, secret, CancellationToken.None));
            Assert.Equal(409, refused.StatusCode);
            Assert.NotNull(server.Get("secrets", "shop", "db"));

            KubeObject fresh = await ObjectRemover.GetAsync(connection, "Secret", "shop", "db", CancellationToken.None);
            Assert.Equal("Deleted", (await ObjectRemover.DeleteAsync(connection, fresh, CancellationToken.None)).Action);
            Assert.Null(server.Get("secrets", "shop", "db"));
        }
    }
}
