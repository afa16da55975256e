using System.Diagnostics;
using System.Text.Json;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Audit;

/// <summary>Skips with a message when the SARIF Multitool (fetched by .ci/run) is not there.</summary>
public sealed class SarifMultitoolFactAttribute : FactAttribute
{
    public static string ToolPath => Path.Combine(TestPaths.RepoRoot, "tools", ".cache", "sarif-multitool", "package", "Sarif.Multitool");

    public SarifMultitoolFactAttribute()
    {
        if (!File.Exists(ToolPath))
        {
            Skip = $"The SARIF Multitool is not at {ToolPath}; .ci/run fetches it with npm (package @microsoft/sarif-multitool-linux).";
        }
    }
}

public class SarifTests
{
    private static (string Path, List<Finding> Findings) WriteDemoReport()
    {
        KubeSnapshot demo = RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster);
        AuditResult audit = AuditRunner.Run(demo, new AuditOptions { AsOf = new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero) });
        var origins = demo.Objects.Where(o => o.Origin is not null).GroupBy(o => o.ToResourceRef()).ToDictionary(g => g.Key, g => g.First().Origin!);
        string path = Path.Combine(TestPaths.TempDirectory(), "audit.sarif");
        using (FileStream stream = File.Create(path))
        {
            SarifWriter.Write(stream, audit.Findings, origins, TestPaths.RepoRoot, "0.1.0");
        }

        return (path, audit.Findings);
    }

    [Fact]
    public void Results_point_at_the_manifest_files_and_rules_carry_help_and_security_severity()
    {
        (string path, List<Finding> findings) = WriteDemoReport();
        using JsonDocument sarif = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement run = sarif.RootElement.GetProperty("runs")[0];
        Assert.Equal(findings.Count, run.GetProperty("results").GetArrayLength());
        JsonElement rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().First(r => r.GetProperty("id").GetString() == "KSEC-RBAC-001");
        Assert.Equal("9.5", rule.GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Contains("How to fix", rule.GetProperty("help").GetProperty("markdown").GetString(), StringComparison.Ordinal);
        JsonElement deployer = run.GetProperty("results").EnumerateArray().First(r => r.GetProperty("ruleId").GetString() == "KSEC-RBAC-001"
            && r.GetProperty("locations")[0].GetProperty("logicalLocations")[0].GetProperty("name").GetString() == "ci-deployer-cluster-admin");
        Assert.Equal("samples/demo-cluster/cluster-rbac.yaml", deployer.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("error", deployer.GetProperty("level").GetString());
        JsonElement region = deployer.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        string[] lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "samples", "demo-cluster", "cluster-rbac.yaml"));
        string document = string.Join("\n", lines[(region.GetProperty("startLine").GetInt32() - 1)..region.GetProperty("endLine").GetInt32()]);
        Assert.Contains("name: ci-deployer-cluster-admin", document, StringComparison.Ordinal);
        Assert.DoesNotContain("name: prometheus", document, StringComparison.Ordinal);
    }

    [SarifMultitoolFact]
    public void The_report_validates_against_the_SARIF_2_1_0_schema()
    {
        (string path, _) = WriteDemoReport();
        string output = Path.Combine(Path.GetDirectoryName(path)!, "validation.sarif");
        var start = new ProcessStartInfo(SarifMultitoolFactAttribute.ToolPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        string schema = Path.Combine(Path.GetDirectoryName(SarifMultitoolFactAttribute.ToolPath)!, "sarif-2.1.0.json");
        foreach (string argument in new[] { "validate", path, "--output", output, "--log", "ForceOverwrite", "--json-schema", schema })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the SARIF Multitool did not finish in two minutes");

        // The validation log lists schema violations (and rule violations) as results of level error;
        // a result without a level is a warning (the SARIF default).
        Assert.True(File.Exists(output), stdout);
        using JsonDocument validation = JsonDocument.Parse(File.ReadAllText(output));
        var errors = validation.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Where(r => r.TryGetProperty("level", out JsonElement level) && level.GetString() == "error")
            .Select(r => $"{r.GetProperty("ruleId").GetString()}: {r.GetProperty("message")}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + stdout);
    }
}
