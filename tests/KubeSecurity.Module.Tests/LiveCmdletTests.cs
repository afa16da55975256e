using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Module.Tests;

/// <summary>Get-KubeSnapshot and Get-KubeObject against the local API test server, through the staged module.</summary>
public class LiveCmdletTests
{
    private static IEnumerable<JsonObject> Cluster()
    {
        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "team-a" } };
        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "team-b" } };
        for (int i = 0; i < 30; i++)
        {
            yield return new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject { ["name"] = $"web-{i}", ["namespace"] = i % 2 == 0 ? "team-a" : "team-b", ["labels"] = new JsonObject { ["app"] = "web" } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx:1.27" }) },
            };
        }

        yield return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "db", ["namespace"] = "team-a" },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["password"] = "bGl2ZS1zZWNyZXQtdmFsdWU=" },
        };
        yield return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = new JsonObject { ["name"] = "reader" },
            ["rules"] = new JsonArray(new JsonObject { ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("pods"), ["verbs"] = new JsonArray("get") }),
        };
    }

    private static async Task<(KubeApiTestServer, string)> StartAsync()
    {
        KubeApiTestServer server = await KubeApiTestServer.StartAsync(Cluster());
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        return (server, kubeconfig);
    }

    [Fact]
    public async Task Get_KubeAttackPath_finds_the_planted_path_of_the_demo_cluster_served_live()
    {
        List<JsonObject> demo;
        using (var files = new ModuleSession())
        {
            KubeSnapshot snapshot = (KubeSnapshot)files.Run("Get-KubeSnapshot -Path $args[0]", ModuleSession.DemoCluster).Single().BaseObject;
            demo = snapshot.Objects.Where(o => !snapshot.UnknownKinds.Contains(o.Kind)).Select(o => (JsonObject)JsonNode.Parse(o.Json.GetRawText())!).ToList();
        }

        KubeApiTestServer server = await KubeApiTestServer.StartAsync(demo);
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        await using (server)
        {
            using var session = new ModuleSession();
            List<AttackPath> paths = session.Run("Get-KubeAttackPath -Kubeconfig $args[0] -To cluster-admin", kubeconfig).Select(o => (AttackPath)o.BaseObject).ToList();
            Assert.Empty(session.Errors);
            AttackPath planted = Assert.Single(paths, p => p.Steps[0].To == "Deployment/shop/media-proxy");
            Assert.Equal("Internet -> Deployment/shop/media-proxy -> Node/worker-1 -> ServiceAccount:ci/deployer -> cluster-admin", planted.Chain);
            // Services and Ingresses were collected: exposure is complete, and the cmdlet does not warn that it is not.
            Assert.Contains(server.RequestLog, r => r.StartsWith("GET /api/v1/services", StringComparison.Ordinal));
            Assert.DoesNotContain(session.Warnings, w => w.Contains("not collected", StringComparison.Ordinal));
            Assert.Contains(session.Warnings, w => w.Contains("treated as any node", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Test_KubeKubelet_reads_every_nodes_configz_live()
    {
        KubeApiTestServer server = await KubeApiTestServer.StartAsync(new[]
        {
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = "worker-1" } },
        });
        server.KubeletConfigz["worker-1"] = (JsonObject)JsonNode.Parse("""{"authorization": {"mode": "AlwaysAllow"}, "authentication": {"x509": {"clientCAFile": "/ca.crt"}}}""")!;
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        await using (server)
        {
            using var session = new ModuleSession();
            List<Finding> findings = session.Run("Test-KubeKubelet -Kubeconfig $args[0]", kubeconfig).Select(o => (Finding)o.BaseObject).ToList();
            Finding alwaysAllow = Assert.Single(findings, f => f.RuleId == "KSEC-KUBELET-003");
            Assert.Equal(new ResourceRef("Node", null, "worker-1"), alwaysAllow.Resource);
            Assert.Contains("/configz", alwaysAllow.Message, StringComparison.Ordinal);
            Assert.Contains(server.RequestLog, r => r.StartsWith("GET /api/v1/nodes/worker-1/proxy/configz", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Get_KubeSnapshot_collects_live_with_progress_and_verbose_text_that_says_what_it_did()
    {
        (KubeApiTestServer server, string kubeconfig) = await StartAsync();
        await using (server)
        {
            using var session = new ModuleSession();
            KubeSnapshot snapshot = (KubeSnapshot)session.Run("Get-KubeSnapshot -Kubeconfig $args[0] -PageSize 7 -Verbose", kubeconfig).Single().BaseObject;

            Assert.Empty(session.Errors);
            Assert.Equal(SnapshotSource.Live, snapshot.Source);
            Assert.Equal("test-cert", snapshot.Context);
            Assert.Equal(30, snapshot.Counts["Pod"]);
            Assert.NotEmpty(session.Streams.Progress);
            Assert.Contains(session.Streams.Progress, p => p.RecordType == ProgressRecordType.Completed);
            Assert.Contains(session.Verbose, v => v.StartsWith("Collected 34 object(s) with", StringComparison.Ordinal));
            Assert.Contains(session.Verbose, v => v.Contains("7 items per page", StringComparison.Ordinal));
            Assert.DoesNotContain("bGl2ZS1zZWNyZXQtdmFsdWU=", session.AllStreamText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_forbidden_kind_is_a_warning_and_is_recorded_as_missing()
    {
        (KubeApiTestServer server, string kubeconfig) = await StartAsync();
        await using (server)
        {
            server.AddFault(new Fault(403, "secrets"));
            using var session = new ModuleSession();
            KubeSnapshot snapshot = (KubeSnapshot)session.Run("Get-KubeSnapshot -Kubeconfig $args[0] -Context test-token", kubeconfig).Single().BaseObject;

            Assert.Empty(session.Errors);
            Assert.Equal("Secret", Assert.Single(snapshot.MissingKinds).Kind);
            Assert.Contains(session.Warnings, w => w.StartsWith("Secret could not be collected (forbidden:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_answer_that_stalls_is_abandoned_at_TimeoutSec_and_only_its_kind_is_missing()
    {
        (KubeApiTestServer server, string kubeconfig) = await StartAsync();
        await using (server)
        {
            server.AddFault(new Fault(0, "configmaps") { Body = BodyFault.StallAfterHeaders });
            using var session = new ModuleSession();
            KubeSnapshot snapshot = (KubeSnapshot)session.Run("Get-KubeSnapshot -Kubeconfig $args[0] -Kind ConfigMap, Pod -TimeoutSec 1 -Verbose", kubeconfig).Single().BaseObject;

            Assert.Empty(session.Errors);
            MissingKind missing = Assert.Single(snapshot.MissingKinds);
            Assert.Equal("ConfigMap", missing.Kind);
            // With -TimeoutSec 1 the stall watchdog and the request timeout are both 1 s: either may abandon the answer.
            Assert.Matches("(stopped arriving|no complete answer within 1 s); gave up after 4 attempt", missing.Reason);
            Assert.Equal(30, snapshot.Counts["Pod"]);
            Assert.Contains(session.Warnings, w => w.StartsWith("ConfigMap could not be collected (", StringComparison.Ordinal) && w.Contains("gave up after", StringComparison.Ordinal));
            Assert.Contains(session.Verbose, v => v.Contains("Each request may take 1 s (-TimeoutSec)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Bad_credentials_and_an_unreachable_server_are_terminating_errors_with_stable_ids()
    {
        (KubeApiTestServer server, string kubeconfig) = await StartAsync();
        await using (server)
        {
            using var session = new ModuleSession();
            ErrorRecord unauthorized = session.RunExpectingTerminatingError("Get-KubeSnapshot -Kubeconfig $args[0] -Context bad-token", kubeconfig);
            Assert.Equal("ApiUnauthorized,KubeSecurity.Commands.GetKubeSnapshotCommand", unauthorized.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, unauthorized.CategoryInfo.Category);

            ErrorRecord context = session.RunExpectingTerminatingError("Get-KubeSnapshot -Kubeconfig $args[0] -Context nope", kubeconfig);
            Assert.Equal("KubeconfigInvalid,KubeSecurity.Commands.GetKubeSnapshotCommand", context.FullyQualifiedErrorId);
        }

        using var after = new ModuleSession();
        ErrorRecord unreachable = after.RunExpectingTerminatingError("Get-KubeSnapshot -Kubeconfig $args[0]", kubeconfig);
        Assert.Equal("ApiUnreachable,KubeSecurity.Commands.GetKubeSnapshotCommand", unreachable.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, unreachable.CategoryInfo.Category);
        Assert.Contains("Cannot connect to the API server", unreachable.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_the_pipeline_stops_a_slow_live_collection_promptly()
    {
        (KubeApiTestServer server, string kubeconfig) = await StartAsync();
        await using (server)
        {
            server.Latency = TimeSpan.FromSeconds(10);
            using var session = new ModuleSession();
            await session.AssertStopsPromptly("Get-KubeSnapshot -Kubeconfig $args[0]", kubeconfig);
        }
    }

    [Fact]
    public async Task SkipTlsVerify_warns()
    {
        (KubeApiTestServer server, string kubeconfig) = await StartAsync();
        await using (server)
        {
            using var session = new ModuleSession();
            session.Run("Get-KubeSnapshot -Kubeconfig $args[0] -SkipTlsVerify -Kind Namespace", kubeconfig);
            Assert.Contains(session.Warnings, w => w.StartsWith("-SkipTlsVerify is set", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Get_KubeObject_reads_live_pushing_known_kinds_and_namespaces_down()
    {
        (KubeApiTestServer server, string kubeconfig) = await StartAsync();
        await using (server)
        {
            using var session = new ModuleSession();
            server.ResetRequestLog();
            List<KubeObject> pods = session.Run("Get-KubeObject -Kubeconfig $args[0] -Kind Pod -Namespace team-b -Name 'web-1*'", kubeconfig).Select(o => (KubeObject)o.BaseObject).ToList();

            Assert.Empty(session.Errors);
            Assert.Equal(new[] { "web-1", "web-11", "web-13", "web-15", "web-17", "web-19" }, pods.Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.All(server.RequestLog.Where(r => r != "GET /api"), r => Assert.StartsWith("GET /api/v1/namespaces/team-b/pods", r, StringComparison.Ordinal));
        }
    }
}
