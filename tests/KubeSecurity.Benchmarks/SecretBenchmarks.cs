using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Model;
using KubeSecurity.Core.Credentials;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// 20,000 Secrets and ConfigMaps totalling about 200 MB (10 KB each), 200 namespaces, 2,000
/// workloads. Targets: Find-KubeCredentialLeak at 100 MB/s or more; Test-KubeSecret under 3 s.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class SecretBenchmarks
{
    private KubeSnapshot? snapshot;
    private RbacPolicy? policy;
    private string? dump;

    [GlobalSetup]
    public void Setup()
    {
        snapshot = SyntheticSecretCluster.Build();
        policy = RbacPolicy.Build(snapshot);
        LeakScanResult once = CredentialLeakScanner.Scan(snapshot, new CredentialDetector());
        Console.WriteLine($"// leak scan covers {once.BytesScanned / 1048576.0:N1} MiB of text; {once.Findings.Count} findings");
        dump = Path.Combine(Path.GetTempPath(), $"kubesecurity-secrets-{Environment.ProcessId}.json");
        SyntheticAuditCluster.Write(snapshot, dump);
        Console.WriteLine($"// manifest on disk: {new FileInfo(dump).Length / 1048576.0:N1} MiB");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (dump is not null)
        {
            File.Delete(dump);
        }
    }

    /// <summary>End to end as Find-KubeCredentialLeak -Path runs it: read the manifest from disk, then scan.</summary>
    [Benchmark]
    public long FindCredentialLeaksFromDisk()
    {
        var read = new KubeSecurity.Core.Snapshots.ManifestReader().ReadPaths(new[] { dump! });
        var loaded = new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, read.Objects);
        return CredentialLeakScanner.Scan(loaded, new CredentialDetector()).BytesScanned;
    }

    [Benchmark]
    public long FindCredentialLeaks() => CredentialLeakScanner.Scan(snapshot!, new CredentialDetector()).BytesScanned;

    [Benchmark]
    public int TestKubeSecret() => SecretAnalyzer.Analyze(snapshot!, policy!).Findings.Count;
}

public static class SyntheticSecretCluster
{
    private static readonly string[] Words = { "server", "timeout", "replicas", "endpoint", "region", "cache", "logging", "level", "retries", "pool", "queue", "metrics", "feature", "enabled", "payments", "catalog" };

    public static KubeSnapshot Build()
    {
        var random = new Random(42);
        var objects = new List<KubeObject>();
        void Add(JsonObject node) => objects.Add(KubeObject.Create(System.Text.Json.JsonDocument.Parse(node.ToJsonString()).RootElement, "synthetic"));
        for (int n = 0; n < 200; n++)
        {
            string ns = $"ns-{n}";
            Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
            for (int i = 0; i < 50; i++)
            {
                var data = new JsonObject();
                for (int k = 0; k < 4; k++)
                {
                    data[$"file-{k}.conf"] = ConfigText(random, 2_500, leak: i % 25 == 0 && k == 0);
                }

                Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = $"config-{i}", ["namespace"] = ns }, ["data"] = data });
                byte[] blob = new byte[7_500];
                random.NextBytes(blob);
                Add(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "Opaque",
                    ["metadata"] = new JsonObject { ["name"] = $"secret-{i}", ["namespace"] = ns, ["creationTimestamp"] = "2026-01-01T00:00:00Z" },
                    ["data"] = new JsonObject { ["blob"] = Convert.ToBase64String(blob) },
                });
            }

            for (int w = 0; w < 10; w++)
            {
                Add(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = $"app-{w}", ["namespace"] = ns },
                    ["spec"] = new JsonObject
                    {
                        ["template"] = new JsonObject
                        {
                            ["spec"] = new JsonObject
                            {
                                ["containers"] = new JsonArray(new JsonObject
                                {
                                    ["name"] = "app", ["image"] = "app:1",
                                    ["env"] = new JsonArray(new JsonObject { ["name"] = "MODE", ["value"] = "production" },
                                        new JsonObject { ["name"] = "DB_PASSWORD", ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = $"secret-{w}", ["key"] = "blob" } } }),
                                }),
                                ["volumes"] = new JsonArray(new JsonObject { ["name"] = "cfg", ["secret"] = new JsonObject { ["secretName"] = $"secret-{w + 10}" } }),
                            },
                        },
                    },
                });
            }
        }

        return new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, objects);
    }

    private static string ConfigText(Random random, int length, bool leak)
    {
        var text = new StringBuilder(length + 200);
        if (leak)
        {
            text.Append("database.url=postgres://app:Zq8-").Append(random.Next(100000, 999999)).Append("@db:5432/app\n");
        }

        while (text.Length < length)
        {
            string key = $"{Words[random.Next(Words.Length)]}.{Words[random.Next(Words.Length)]}";
            string value = random.Next(6) switch
            {
                0 => random.Next(1, 65535).ToString(System.Globalization.CultureInfo.InvariantCulture),
                1 => $"https://{Words[random.Next(Words.Length)]}.example.com/api/v{random.Next(1, 4)}",
                2 => random.Next(2) == 0 ? "true" : "false",
                3 => $"{random.Next(1, 120)}s",
                4 => $"/etc/{Words[random.Next(Words.Length)]}/{Words[random.Next(Words.Length)]}.yaml",
                _ => string.Join('-', Enumerable.Range(0, 3).Select(_ => Words[random.Next(Words.Length)])),
            };
            text.Append(key).Append(" = ").Append(value).Append('\n');
        }

        return text.ToString();
    }
}
