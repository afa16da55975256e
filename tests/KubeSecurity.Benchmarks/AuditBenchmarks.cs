using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// The whole audit on one synthetic cluster that has the volumes of every other benchmark (10,000
/// pods with the RBAC of a multi-tenant cluster, 5,000 more pods under 1,000 network policies,
/// 20,000 secrets and config maps of about 200 MB, 5,000 TLS secrets), and the HTML report of
/// 50,000 findings. Targets (issue 7): the audit under 15 s and under 1 GB peak working set, which
/// the --audit-figures mode measures through Invoke-KubeSecurityAudit in a fresh process; the
/// report opening in Chromium in under 3 s, also measured there.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class AuditBenchmarks
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);
    private KubeSnapshot? snapshot;
    private List<Finding>? findings;

    [GlobalSetup]
    public void Setup()
    {
        snapshot = SyntheticAuditCluster.Build();
        findings = SyntheticAuditCluster.Findings(50_000);
        Console.WriteLine($"// {SyntheticAuditCluster.Describe(snapshot)}");
    }

    [Benchmark]
    public int InvokeKubeSecurityAudit() => AuditRunner.Run(snapshot!, new AuditOptions { AsOf = AsOf }).Findings.Count;

    [Benchmark]
    public int HtmlReportOf50000Findings() => HtmlReportWriter.Write(findings!, null).Length;
}

public static class SyntheticAuditCluster
{
    /// <summary>
    /// Every area's synthetic cluster in one snapshot. Namespaces ns-0..ns-199 appear in several of
    /// them; the network cluster's (which carry labels its policies select on) are kept.
    /// </summary>
    public static KubeSnapshot Build()
    {
        var objects = new List<KubeObject>();
        objects.AddRange(SyntheticRbacCluster.Build().Objects);
        objects.AddRange(SyntheticSecretCluster.Build().Objects);
        objects.AddRange(SyntheticTlsSecrets.Build(certificates: 5_000, secrets: 5_000).Secrets);
        objects.AddRange(SyntheticNetworkCluster.Build().Objects);
        return SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, objects, null, null, false, Array.Empty<string>(), out _);
    }

    public static string Describe(KubeSnapshot snapshot) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{snapshot.ObjectCount:N0} objects: {string.Join(", ", snapshot.Counts.OrderByDescending(c => c.Value).Select(c => $"{c.Value:N0} {c.Key}"))}");

    /// <summary>Writes the cluster as one kind: List JSON document, as kubectl get -o json would.</summary>
    public static void Write(KubeSnapshot snapshot, string path)
    {
        using FileStream file = File.Create(path);
        using var writer = new Utf8JsonWriter(file);
        writer.WriteStartObject();
        writer.WriteString("apiVersion", "v1");
        writer.WriteString("kind", "List");
        writer.WriteStartArray("items");
        foreach (KubeObject item in snapshot.Objects)
        {
            item.Json.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Findings of every rule in turn, on distinct resources, with the catalog's titles, remediations and references.</summary>
    public static List<Finding> Findings(int count)
    {
        List<SecurityRule> rules = RuleCatalog.All.ToList();
        var findings = new List<Finding>(count);
        for (int i = 0; i < count; i++)
        {
            SecurityRule rule = rules[i % rules.Count];
            var resource = new ResourceRef("Deployment", $"ns-{i % 200}", $"app-{i}");
            findings.Add(RuleCatalog.CreateFinding(rule.Id, resource,
                $"Container app of {resource} {rule.Title.ToLowerInvariant()} (synthetic finding {i} for the report benchmark).",
                new Dictionary<string, string> { ["Container"] = "app", ["Field"] = "spec.template.spec.containers[0].securityContext" }));
        }

        return findings;
    }
}
