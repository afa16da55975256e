using System.Diagnostics;
using KubeSecurity.Core.Diagnostics;
using KubeSecurity.Core.Live;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Core.Tests;

public class LiveSnapshotCollectorTests
{
    private sealed class RecordingReporter : IOperationReporter
    {
        public List<string> Warnings { get; } = new();
        public List<string> Verbose { get; } = new();
        public int ProgressUpdates;
        public void Progress(OperationProgress progress) => Interlocked.Increment(ref ProgressUpdates);
        public void Warning(string message) { lock (Warnings) { Warnings.Add(message); } }
        void IOperationReporter.Verbose(string message) { lock (Verbose) { Verbose.Add(message); } }
    }

    private static async Task<KubeSnapshot> CollectAsync(string kubeconfig, LiveSnapshotOptions? options = null, IOperationReporter? reporter = null, string? context = null)
    {
        using KubeConnection connection = KubeConnection.Open(new LiveConnectionOptions { KubeconfigPath = kubeconfig, Context = context });
        return await new LiveSnapshotCollector(connection, options ?? new LiveSnapshotOptions { InitialRetryDelay = TimeSpan.FromMilliseconds(10) }, reporter).CollectAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_demo_cluster_collected_live_matches_the_files_it_was_served_from()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            var reporter = new RecordingReporter();
            KubeSnapshot live = await CollectAsync(kubeconfig, reporter: reporter);

            Assert.Equal(SnapshotSource.Live, live.Source);
            Assert.Equal("test-cert", live.Context);
            Assert.Equal("kubesecurity-test", live.Cluster);
            Assert.Empty(live.MissingKinds);
            Assert.Empty(reporter.Warnings);
            Assert.True(reporter.ProgressUpdates >= 25);
            Assert.Equal(LiveServer.DemoObjects().Count, live.ObjectCount);
            KubeObject pod = Assert.Single(live.OfKind("Pod"), p => p.Namespace == "default");
            Assert.Equal(("Pod", "v1", "default", "debug-shell"), (pod.Kind, pod.ApiVersion, pod.Namespace, pod.Name));
            Assert.Equal("kubernetes.io/tls", live.OfKind("Secret").First(s => s.Name == "shop-tls").Json.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Admin_network_policies_are_collected_where_served_and_their_absence_elsewhere_is_not_a_gap()
    {
        var anp = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "policy.networking.k8s.io/v1alpha1", ["kind"] = "AdminNetworkPolicy",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "deny-bar" },
            ["spec"] = System.Text.Json.Nodes.JsonNode.Parse("""{"priority":10,"subject":{"namespaces":{}},"ingress":[{"name":"d","action":"Deny","from":[{"namespaces":{"matchLabels":{"team":"bar"}}}]}]}"""),
        };
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync(LiveServer.DemoObjects().Append(anp));
        await using (server)
        {
            KubeSnapshot live = await CollectAsync(kubeconfig);
            KubeObject collected = Assert.Single(live.OfKind("AdminNetworkPolicy"));
            Assert.Equal("policy.networking.k8s.io", collected.ApiGroup);
            Assert.Single(KubeSecurity.Core.Network.NetworkModel.Build(live).AdminPolicies);
        }

        // A cluster without the CRDs answers 404: there are none, which is not a kind that could not be read.
        var plain = new KubeApiTestServer(ServedResource.Defaults.Where(r => r.Group is not ("policy.networking.k8s.io" or "cilium.io")));
        plain.AddObjects(LiveServer.DemoObjects());
        await plain.StartAsync();
        await using (plain)
        {
            string config = plain.WriteKubeconfig(Path.Combine(TestPaths.TempDirectory(), "kubeconfig"));
            var reporter = new RecordingReporter();
            KubeSnapshot live = await CollectAsync(config, reporter: reporter);
            Assert.Empty(live.MissingKinds);
            Assert.Empty(reporter.Warnings);
            Assert.Contains(reporter.Verbose, v => v.Contains("AdminNetworkPolicy", StringComparison.Ordinal) && v.Contains("not served", StringComparison.Ordinal));
            Assert.Empty(KubeSecurity.Core.Network.NetworkModel.Build(live).Unevaluated);
        }
    }

    [Fact]
    public async Task Each_nodes_kubelet_configuration_is_read_from_configz_and_a_missing_permission_is_a_missing_source()
    {
        static System.Text.Json.Nodes.JsonObject Node(string name) => new()
        {
            ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name },
        };
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync(new[] { Node("node-a"), Node("node-b"), Node("node-c") });
        await using (server)
        {
            server.KubeletConfigz["node-a"] = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse("""{"authentication": {"anonymous": {"enabled": true}, "x509": {"clientCAFile": "/etc/kubernetes/pki/ca.crt"}}, "authorization": {"mode": "Webhook"}, "readOnlyPort": 0}""")!;
            server.KubeletConfigz["node-b"] = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse("""{"authentication": {"anonymous": {"enabled": false}}, "authorization": {"mode": "AlwaysAllow"}}""")!;
            var reporter = new RecordingReporter();
            KubeSnapshot live = await CollectAsync(kubeconfig, new LiveSnapshotOptions { Kinds = new[] { "Node" }, KubeletConfigz = true, InitialRetryDelay = TimeSpan.FromMilliseconds(10), MaxAttempts = 1 }, reporter);

            Assert.Equal(new[] { "node-a", "node-b" }, live.OfKind("KubeletConfiguration").Select(k => k.Name));
            Assert.DoesNotContain("KubeletConfiguration", live.UnknownKinds);
            Assert.Contains(reporter.Warnings, w => w.Contains("node-c", StringComparison.Ordinal)); // its kubelet does not answer
            Assert.Equal(3, server.RequestLog.Count(r => r.Contains("/proxy/configz", StringComparison.Ordinal)));

            var problems = new List<string>();
            List<ControlCheck> results = KubeSecurity.Core.ControlPlane.KubeletAnalyzer.Check(KubeSecurity.Core.ControlPlane.KubeletConfigurations.Find(live, problems));
            Assert.Equal(ControlStatus.Fail, results.Single(r => r.Control == "4.2.1" && r.Pod!.Name == "node-a").Status);
            Assert.Equal(ControlStatus.Fail, results.Single(r => r.Control == "4.2.2" && r.Pod!.Name == "node-b").Status);
            Assert.Equal("Node", results[0].Pod!.Kind);

            // Without get on nodes/proxy: one 403, no more requests, and the source is recorded as missing.
            server.ResetRequestLog();
            server.AddFault(new Fault(403, "nodes/proxy"));
            reporter = new RecordingReporter();
            KubeSnapshot denied = await CollectAsync(kubeconfig, new LiveSnapshotOptions { Kinds = new[] { "Node" }, KubeletConfigz = true, MaxConcurrency = 1, InitialRetryDelay = TimeSpan.FromMilliseconds(10) }, reporter);
            Assert.Empty(denied.OfKind("KubeletConfiguration"));
            Assert.Equal(403, Assert.Single(denied.MissingKinds, m => m.Kind == "KubeletConfiguration").StatusCode);
            Assert.Single(reporter.Warnings, w => w.Contains("nodes/proxy", StringComparison.Ordinal));
            Assert.Equal(1, server.RequestLog.Count(r => r.Contains("/proxy/configz", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Bearer_tokens_authenticate_and_a_bad_token_fails_with_a_message_naming_server_and_context()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            KubeSnapshot viaToken = await CollectAsync(kubeconfig, context: "test-token");
            Assert.True(viaToken.ObjectCount > 50);

            KubeApiException error = await Assert.ThrowsAsync<KubeApiException>(() => CollectAsync(kubeconfig, context: "bad-token"));
            Assert.Equal(ApiFailure.Unauthorized, error.Failure);
            Assert.Contains("401", error.Message, StringComparison.Ordinal);
            Assert.Contains("'bad-token'", error.Message, StringComparison.Ordinal);
            Assert.Contains(server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("not-a-valid-token", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Lists_are_paginated_with_limit_and_continue()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync(LiveServer.Pods(1234));
        await using (server)
        {
            KubeSnapshot snapshot = await CollectAsync(kubeconfig, new LiveSnapshotOptions { PageSize = 100, Kinds = new[] { "Pod" } });

            Assert.Equal(1234, snapshot.Counts["Pod"]);
            Assert.Equal(1234, snapshot.OfKind("Pod").Select(p => p.Name).Distinct().Count());
            string[] podRequests = server.RequestLog.Where(r => r.StartsWith("GET /api/v1/pods", StringComparison.Ordinal)).ToArray();
            Assert.Equal(13, podRequests.Length);
            Assert.All(podRequests, r => Assert.Contains("limit=100", r, StringComparison.Ordinal));
            Assert.Equal(12, podRequests.Count(r => r.Contains("continue=", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task A_forbidden_kind_becomes_a_warning_and_a_missing_kind_and_the_rest_is_collected()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            server.AddFault(new Fault(403, "secrets"));
            var reporter = new RecordingReporter();
            KubeSnapshot snapshot = await CollectAsync(kubeconfig, reporter: reporter);

            MissingKind missing = Assert.Single(snapshot.MissingKinds);
            Assert.Equal(("Secret", 403), (missing.Kind, missing.StatusCode));
            Assert.Contains("cannot list resource \"secrets\"", missing.Reason, StringComparison.Ordinal);
            Assert.Empty(snapshot.OfKind("Secret"));
            Assert.NotEmpty(snapshot.OfKind("ConfigMap"));
            Assert.Contains(reporter.Warnings, w => w.StartsWith("Secret could not be collected", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Too_many_requests_is_retried_honouring_retry_after()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            Fault fault = server.AddFault(new Fault(429, "pods", times: 2) { RetryAfterSeconds = 1 });
            var reporter = new RecordingReporter();
            var watch = Stopwatch.StartNew();
            KubeSnapshot snapshot = await CollectAsync(kubeconfig, new LiveSnapshotOptions { Kinds = new[] { "Pod" } }, reporter);
            watch.Stop();

            Assert.Equal(2, fault.Hits);
            Assert.Equal(LiveServer.DemoObjects().Count(o => (string?)o["kind"] == "Pod"), snapshot.OfKind("Pod").Count);
            Assert.Empty(snapshot.MissingKinds);
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {watch.Elapsed}, sooner than Retry-After allows");
            Assert.Equal(2, reporter.Verbose.Count(v => v.Contains("429; retrying in 1 s", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Server_errors_that_persist_leave_the_kind_missing_after_bounded_retries()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            Fault fault = server.AddFault(new Fault(500, "configmaps"));
            KubeSnapshot snapshot = await CollectAsync(kubeconfig, new LiveSnapshotOptions { MaxAttempts = 3, InitialRetryDelay = TimeSpan.FromMilliseconds(5) });

            Assert.Equal(3, fault.Hits);
            MissingKind missing = Assert.Single(snapshot.MissingKinds);
            Assert.Equal(("ConfigMap", 500), (missing.Kind, missing.StatusCode));
            Assert.Contains("injected fault", missing.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_expired_continue_token_restarts_the_list_and_nothing_is_duplicated()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync(LiveServer.Pods(250));
        await using (server)
        {
            Fault gone = server.AddFault(new Fault(410, "pods", times: 1) { OnlyWithContinue = true });
            var reporter = new RecordingReporter();
            KubeSnapshot snapshot = await CollectAsync(kubeconfig, new LiveSnapshotOptions { PageSize = 100, Kinds = new[] { "Pod" } }, reporter);

            Assert.Equal(1, gone.Hits);
            Assert.Equal(250, snapshot.OfKind("Pod").Count);
            Assert.Equal(250, snapshot.OfKind("Pod").Select(p => p.Name).Distinct().Count());
            Assert.Contains(reporter.Verbose, v => v.Contains("410 Gone", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Namespace_and_kind_scope_are_pushed_down_to_namespaced_list_calls()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            KubeSnapshot snapshot = await CollectAsync(kubeconfig, new LiveSnapshotOptions { Namespaces = new[] { "payments" }, Kinds = new[] { "Secret", "Namespace", "ClusterRole" } });

            string[] lists = server.RequestLog.Where(r => !r.StartsWith("GET /api ", StringComparison.Ordinal) && r != "GET /api").ToArray();
            Assert.Contains(lists, r => r.StartsWith("GET /api/v1/namespaces/payments/secrets", StringComparison.Ordinal));
            Assert.Contains(lists, r => r.StartsWith("GET /api/v1/namespaces/payments", StringComparison.Ordinal));
            Assert.DoesNotContain(lists, r => r.StartsWith("GET /api/v1/secrets", StringComparison.Ordinal));
            Assert.DoesNotContain(lists, r => r.Contains("/pods", StringComparison.Ordinal));
            Assert.All(snapshot.OfKind("Secret"), s => Assert.Equal("payments", s.Namespace));
            Assert.Equal("payments", Assert.Single(snapshot.OfKind("Namespace")).Name);
            Assert.NotEmpty(snapshot.OfKind("ClusterRole"));
            Assert.Equal(new[] { "payments" }, snapshot.NamespaceScope);
        }
    }

    [Fact]
    public async Task An_unreachable_server_fails_fast_with_a_message_naming_it()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync(Array.Empty<System.Text.Json.Nodes.JsonObject>());
        await server.DisposeAsync();

        var watch = Stopwatch.StartNew();
        KubeApiException error = await Assert.ThrowsAsync<KubeApiException>(() => CollectAsync(kubeconfig));
        watch.Stop();

        Assert.Equal(ApiFailure.Unreachable, error.Failure);
        Assert.StartsWith("Cannot connect to the API server at https://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("context 'test-cert'", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_server_whose_certificate_the_kubeconfig_does_not_trust_is_a_tls_failure()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        await using (KubeApiTestServer other = await KubeApiTestServer.StartAsync())
        {
            // Point the kubeconfig (trusting the first server's CA) at the second server.
            string text = File.ReadAllText(kubeconfig).Replace($":{server.BaseAddress.Port}", $":{other.BaseAddress.Port}", StringComparison.Ordinal);
            File.WriteAllText(kubeconfig, text);

            KubeApiException error = await Assert.ThrowsAsync<KubeApiException>(() => CollectAsync(kubeconfig));
            Assert.Equal(ApiFailure.TlsFailure, error.Failure);
            Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cancellation_stops_a_slow_collection_promptly()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            server.Latency = TimeSpan.FromSeconds(5);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            using KubeConnection connection = KubeConnection.Open(new LiveConnectionOptions { KubeconfigPath = kubeconfig });
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LiveSnapshotCollector(connection, new LiveSnapshotOptions()).CollectAsync(cancel.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        }
    }

    [Fact]
    public void With_several_kubeconfig_files_the_file_defining_the_context_is_used_and_the_first_current_context_wins()
    {
        string directory = TestPaths.TempDirectory();
        string first = Path.Combine(directory, "first"), second = Path.Combine(directory, "second");
        File.WriteAllText(first, "apiVersion: v1\nkind: Config\nclusters: [{name: c1, cluster: {server: 'https://one.example'}}]\nusers: [{name: u1, user: {token: t1}}]\ncontexts: [{name: one, context: {cluster: c1, user: u1}}]\ncurrent-context: one\n");
        File.WriteAllText(second, "apiVersion: v1\nkind: Config\nclusters: [{name: c2, cluster: {server: 'https://two.example'}}]\nusers: [{name: u2, user: {token: t2}}]\ncontexts: [{name: two, context: {cluster: c2, user: u2}}]\ncurrent-context: two\n");

        Assert.Equal((second, "two", "c2"), Kubeconfig.SelectContext(new[] { first, second }, "two"));
        Assert.Equal((first, "one", "c1"), Kubeconfig.SelectContext(new[] { first, second }, null));
        KubeApiException missing = Assert.Throws<KubeApiException>(() => Kubeconfig.SelectContext(new[] { first, second }, "three"));
        Assert.Contains("Contexts: one, two", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_context_or_kubeconfig_is_a_configuration_error_that_lists_the_choices()
    {
        string directory = TestPaths.TempDirectory();
        KubeApiException missingFile = Assert.Throws<KubeApiException>(() => KubeConnection.Open(new LiveConnectionOptions { KubeconfigPath = Path.Combine(directory, "nope") }));
        Assert.Equal(ApiFailure.Configuration, missingFile.Failure);
        Assert.Contains("does not exist", missingFile.Message, StringComparison.Ordinal);

        await using var server = new KubeApiTestServer();
        string kubeconfig = server.WriteKubeconfig(Path.Combine(directory, "config"));
        KubeApiException badContext = Assert.Throws<KubeApiException>(() => KubeConnection.Open(new LiveConnectionOptions { KubeconfigPath = kubeconfig, Context = "prod" }));
        Assert.Contains("no context named 'prod'", badContext.Message, StringComparison.Ordinal);
        Assert.Contains("test-cert, test-token, bad-token", badContext.Message, StringComparison.Ordinal);
    }
}
