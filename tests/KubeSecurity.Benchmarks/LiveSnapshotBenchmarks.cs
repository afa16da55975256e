using System.Diagnostics;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KubeSecurity.Core.Live;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// A full snapshot of a 10,000-pod cluster from the local test server with 20 ms injected latency
/// per request, against `kubectl get &lt;all those kinds&gt; -A -o json` on the same server.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LiveSnapshotBenchmarks
{
    private LiveCluster? cluster;

    [GlobalSetup]
    public void Setup()
    {
        cluster = LiveCluster.StartAsync().GetAwaiter().GetResult();
        cluster.RunKubectl(); // warms kubectl's discovery cache, as a user's would be
    }

    [GlobalCleanup]
    public void Cleanup() => cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public int Kubectl_Get_All_Kinds_Json() => cluster!.RunKubectl();

    [Benchmark]
    public int KubeSecurity_Live_Snapshot() => cluster!.CollectAsync().GetAwaiter().GetResult().ObjectCount;
}

/// <summary>The 10,000-pod cluster served with latency, and the two ways of reading it.</summary>
internal sealed class LiveCluster : IAsyncDisposable
{
    private LiveCluster(KubeApiTestServer server, string kubeconfig, string cacheDirectory)
    {
        Server = server;
        Kubeconfig = kubeconfig;
        CacheDirectory = cacheDirectory;
    }

    public KubeApiTestServer Server { get; }
    public string Kubeconfig { get; }
    public string CacheDirectory { get; }

    public static async Task<LiveCluster> StartAsync(int pods = 10_000, TimeSpan? latency = null)
    {
        var server = new KubeApiTestServer();
        server.AddObjects(Objects(pods));
        await server.StartAsync();
        server.Latency = latency ?? TimeSpan.FromMilliseconds(20);
        string directory = Path.Combine(Path.GetTempPath(), "kubesecurity-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new LiveCluster(server, server.WriteKubeconfig(Path.Combine(directory, "kubeconfig")), Path.Combine(directory, "kubectl-cache"));
    }

    private static IEnumerable<JsonObject> Objects(int pods)
    {
        for (int n = 0; n < 50; n++)
        {
            yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = $"team-{n:D2}" } };
        }

        for (int i = 0; i < pods; i++)
        {
            yield return new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject { ["name"] = $"pod-{i:D5}", ["namespace"] = $"team-{i % 50:D2}", ["labels"] = new JsonObject { ["app"] = $"app-{i % 300}" } },
                ["spec"] = new JsonObject
                {
                    ["serviceAccountName"] = $"app-{i % 300}",
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "main",
                        ["image"] = $"registry.example.com/app-{i % 300}:1.{i % 20}",
                        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080 }),
                        ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "256Mi" } },
                    }),
                },
                ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = $"10.1.{i / 250 % 250}.{i % 250}" },
            };
        }

        for (int i = 0; i < 2_000; i++)
        {
            yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = $"secret-{i}", ["namespace"] = $"team-{i % 50:D2}" }, ["type"] = "Opaque", ["data"] = new JsonObject { ["k"] = "dmFsdWU=" } };
            yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = $"config-{i}", ["namespace"] = $"team-{i % 50:D2}" }, ["data"] = new JsonObject { ["k"] = "v" } };
            yield return new JsonObject { ["apiVersion"] = "rbac.authorization.k8s.io/v1", ["kind"] = "RoleBinding", ["metadata"] = new JsonObject { ["name"] = $"rb-{i}", ["namespace"] = $"team-{i % 50:D2}" }, ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "view" }, ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "Group", ["name"] = $"g-{i}" }) };
        }
    }

    public async Task<KubeSnapshot> CollectAsync()
    {
        using KubeConnection connection = KubeConnection.Open(new LiveConnectionOptions { KubeconfigPath = Kubeconfig });
        return await new LiveSnapshotCollector(connection, new LiveSnapshotOptions()).CollectAsync(CancellationToken.None);
    }

    /// <summary>kubectl get of every kind the snapshot collects, -A -o json; returns the bytes it printed.</summary>
    public int RunKubectl()
    {
        string kinds = string.Join(",", KnownKinds.All.Select(k => k.Group.Length == 0 ? k.Plural : $"{k.Plural}.{k.Group}"));
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--kubeconfig", Kubeconfig, "--cache-dir", CacheDirectory, "get", kinds, "-A", "-o", "json" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl failed: {error.Result}");
        }

        return output.Length;
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
