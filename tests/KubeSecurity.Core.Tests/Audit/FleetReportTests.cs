using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Audit;

/// <summary>Audits of several clusters: findings keep their cluster apart in keys, suppressions and every report format.</summary>
public class FleetReportTests
{
    private static readonly DateTimeOffset DemoDate = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<KubeSnapshot> Demo = new(() => RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster));

    private static KubeSnapshot As(string context) =>
        new(SnapshotSource.Saved, context + "-cluster", context, null, DemoDate, Demo.Value.Objects);

    private static AuditResult Audit(string context, AuditOptions? options = null) =>
        AuditRunner.Run(As(context), (options ?? new AuditOptions()) with { AsOf = DemoDate });

    [Fact]
    public void Findings_carry_their_cluster_and_the_same_problem_in_two_clusters_is_two_findings()
    {
        AuditResult east = Audit("east");
        AuditResult west = Audit("west");
        Assert.All(east.Findings, f => Assert.Equal(("east-cluster", "east"), (f.Cluster, f.Context)));
        Assert.Empty(east.Findings.Select(ReportJson.Key).Intersect(west.Findings.Select(ReportJson.Key)));
        Assert.Contains("east: ", east.Findings[0].ToString(), StringComparison.Ordinal);

        // Files have no context: their findings and keys are as before fleets.
        AuditResult files = AuditRunner.Run(Demo.Value, new AuditOptions { AsOf = DemoDate });
        Assert.All(files.Findings, f => Assert.Null(f.Context));
        Assert.StartsWith("KSEC-", ReportJson.Key(files.Findings[0]), StringComparison.Ordinal);

        // A drift between the two clusters is everything new and everything fixed: nothing matches across clusters.
        List<AuditChange> drift = AuditDrift.Compare(east.Findings, west.Findings, includeUnchanged: true);
        Assert.DoesNotContain(drift, c => c.Change == "Unchanged");
    }

    [Fact]
    public void A_suppression_with_a_context_pattern_applies_to_matching_clusters_only()
    {
        List<Suppression> suppressions = Suppressions.Parse("""
            - {ruleId: "KSEC-RBAC-*", resource: "ClusterRoleBinding/ci-deployer-cluster-admin", context: "we*", justification: "west's CI is break-glass"}
            """, "accepted.yaml");
        var options = new AuditOptions { Suppressions = suppressions };
        static bool Bound(AuditResult r) => r.Findings.Any(f => f.RuleId == RbacRules.ClusterAdminBound && f.Name == "ci-deployer-cluster-admin");
        Assert.True(Bound(Audit("east", options)));
        Assert.False(Bound(Audit("west", options)));
        Assert.True(Bound(AuditRunner.Run(Demo.Value, options with { AsOf = DemoDate })), "a context pattern never suppresses findings from files");
    }

    [Fact]
    public void Reports_of_a_fleet_name_each_cluster()
    {
        AuditResult east = Audit("east");
        AuditResult west = Audit("west");
        List<Finding> findings = east.Findings.Concat(west.Findings).ToList();
        var summaries = new List<AuditSummary> { east.Summary!, west.Summary! };
        AuditSummary combined = AuditSummaries.Combine(summaries)!;
        Assert.Null(combined.Context);
        Assert.Equal(east.Summary!.Total + west.Summary!.Total, combined.Total);
        Assert.Equal(combined.Total, combined.BySeverity.Values.Sum());
        Assert.Same(east.Summary, AuditSummaries.Combine(new[] { east.Summary! }));

        using (var stream = new MemoryStream())
        {
            ReportJson.Write(stream, findings, combined, summaries);
            using JsonDocument json = JsonDocument.Parse(stream.ToArray());
            Assert.Equal(2, json.RootElement.GetProperty("clusters").GetArrayLength());
            List<Finding> read = ReportJson.ReadFindings(Encoding.UTF8.GetString(stream.ToArray()), "fleet.json");
            Assert.Equal(findings.Select(ReportJson.Key), read.Select(ReportJson.Key));
        }

        XDocument junit = XDocument.Parse(ReportWriters.JUnit(findings, combined));
        List<string> names = junit.Descendants("testcase").Select(t => (string)t.Attribute("name")!).ToList();
        Assert.Contains(names, n => n.StartsWith("west: ", StringComparison.Ordinal));

        string markdown = ReportWriters.Markdown(findings, combined);
        Assert.Contains("| Severity | Findings | east | west |", markdown, StringComparison.Ordinal);

        string csv = ReportWriters.Csv(findings);
        Assert.EndsWith(",Cluster,Context", csv.Split('\n')[0], StringComparison.Ordinal);
        Assert.EndsWith(",west-cluster,west", csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);

        string metrics = ReportWriters.Prometheus(findings, Array.Empty<(CertificateInfo, string?)>(), summaries, null);
        string[] series = metrics.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).Select(l => l[..l.LastIndexOf(' ')]).ToArray();
        Assert.Equal(series.Length, series.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("kubesecurity_audit_timestamp_seconds{cluster=\"west-cluster\"}", StringComparison.Ordinal));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("kubesecurity_findings{cluster=\"east-cluster\",severity=\"Critical\"", StringComparison.Ordinal));

        string html = HtmlReportWriter.Write(findings, combined);
        Assert.Contains("2 clusters", html, StringComparison.Ordinal);
        Assert.Contains("<th>Cluster</th>", html, StringComparison.Ordinal);
        Assert.Contains("\"fleet\":true", html, StringComparison.Ordinal);
    }
}
