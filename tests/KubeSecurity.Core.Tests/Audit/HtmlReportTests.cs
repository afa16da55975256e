using System.Diagnostics;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Audit;

/// <summary>Skips with a message when Chromium (installed by .ci/run) is not there.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static string? Browser => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public ChromiumFactAttribute()
    {
        if (Browser is null)
        {
            Skip = "Chromium is not installed (.ci/run installs the Debian chromium package).";
        }
    }
}

public class HtmlReportTests
{
    private static string Render(string file, string hash, string? screenshot = null, bool scripts = true)
    {
        var start = new ProcessStartInfo(ChromiumFactAttribute.Browser!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600" })
        {
            start.ArgumentList.Add(argument);
        }

        if (!scripts)
        {
            // Headless Chromium cannot dump the page with JavaScript switched off, so the page's own
            // policy forbids its scripts instead: the browser then shows what a reader without them sees.
            string blocked = Path.ChangeExtension(file, ".noscript.html");
            File.WriteAllText(blocked, File.ReadAllText(file).Replace("script-src 'unsafe-inline'", "script-src 'none'", StringComparison.Ordinal));
            file = blocked;
        }

        start.ArgumentList.Add(screenshot is null ? "--dump-dom" : $"--screenshot={screenshot}");
        start.ArgumentList.Add(new Uri(file).AbsoluteUri + hash);
        using Process browser = Process.Start(start)!;
        Task<string> dom = browser.StandardOutput.ReadToEndAsync();
        _ = browser.StandardError.ReadToEndAsync();
        Assert.True(browser.WaitForExit(60_000), "Chromium did not finish in a minute");
        return dom.Result;
    }

    [ChromiumFact]
    public void The_report_renders_in_a_real_browser_with_chart_filters_and_no_external_resources()
    {
        KubeSnapshot demo = RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster);
        AuditResult audit = AuditRunner.Run(demo, new AuditOptions { AsOf = new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero) });
        string html = HtmlReportWriter.Write(audit.Findings, audit.Summary);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        string file = Path.Combine(TestPaths.TempDirectory(), "report.html");
        File.WriteAllText(file, html);

        string rendered = Render(file, string.Empty);
        Assert.Contains("data-ready=\"true\"", rendered, StringComparison.Ordinal);
        Assert.Contains($"data-shown=\"{audit.Findings.Count}\"", rendered, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"bar\"", rendered, StringComparison.Ordinal);
        int rows = System.Text.RegularExpressions.Regex.Count(rendered, "<tr data-severity=");
        Assert.Equal(Math.Min(HtmlReportWriter.PageSize, audit.Findings.Count), rows);
        Assert.Contains("How to fix: </strong>", rendered, StringComparison.Ordinal);

        int critical = audit.Findings.Count(f => f.Severity == Severity.Critical);
        string filtered = Render(file, "#severity=Critical");
        Assert.Contains($"data-shown=\"{critical}\"", filtered, StringComparison.Ordinal);
        int deployer = audit.Findings.Count(f => (f.RuleId + f.Category + f.Resource + f.Message + f.Title + f.Remediation + string.Join("", f.References) + f.Severity).Contains("ci-deployer", StringComparison.OrdinalIgnoreCase));
        Assert.Contains($"data-shown=\"{deployer}\"", Render(file, "#filter=ci-deployer"), StringComparison.Ordinal);

        // The screenshot is kept with the test results for people to look at.
        string artifacts = Path.Combine(TestPaths.RepoRoot, "TestResults");
        Directory.CreateDirectory(artifacts);
        string png = Path.Combine(artifacts, "html-report.png");
        Render(file, string.Empty, png);
        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is missing or empty");
    }

    private static readonly DateTimeOffset DemoDate = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);

    private static (AuditResult Audit, string File) DemoReport(string name, HtmlReportOptions? options = null)
    {
        KubeSnapshot read = RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster);
        var demo = new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, read.Objects, origins: new[] { "samples/demo-cluster" });
        AuditResult audit = AuditRunner.Run(demo, new AuditOptions { AsOf = DemoDate });
        string file = Path.Combine(TestPaths.TempDirectory(), name);
        File.WriteAllText(file, HtmlReportWriter.Write(audit.Findings, audit.Summary, options));
        return (audit, file);
    }

    private static int Count(string html, string pattern) => System.Text.RegularExpressions.Regex.Count(html, pattern);

    [ChromiumFact]
    public void Grouping_and_the_category_namespace_filters_are_driven_from_the_address()
    {
        (AuditResult audit, string file) = DemoReport("triage.html");

        string byRule = Render(file, "#group=rule&open=1");
        int rules = audit.Findings.Select(f => f.RuleId).Distinct().Count();
        Assert.Contains($"data-groups=\"{rules}\"", byRule, StringComparison.Ordinal);
        Assert.Equal(rules, Count(byRule, "<details class=\"group\" data-key="));
        // Groups come most severe first, then largest; the first is open and holds all its findings.
        IGrouping<string, Finding> first = audit.Findings.GroupBy(f => f.RuleId).OrderByDescending(g => g.Max(f => f.Severity)).ThenByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();
        Assert.Contains($"<details class=\"group\" data-key=\"{first.Key}\" open=\"\">", byRule, StringComparison.Ordinal);
        Assert.Equal(first.Count(), Count(byRule, "<tr data-severity="));

        string byResource = Render(file, "#group=resource");
        Assert.Contains($"data-groups=\"{audit.Findings.Select(f => f.Resource.ToString()).Distinct().Count()}\"", byResource, StringComparison.Ordinal);

        int rbac = audit.Findings.Count(f => f.Category == "RBAC");
        Assert.Contains($"data-shown=\"{rbac}\"", Render(file, "#category=RBAC"), StringComparison.Ordinal);
        int payments = audit.Findings.Count(f => (f.Kind == "Namespace" ? f.Name : f.Namespace) == "payments");
        Assert.Contains($"data-shown=\"{payments}\"", Render(file, "#namespace=payments"), StringComparison.Ordinal);
        int paymentsHigh = audit.Findings.Count(f => (f.Kind == "Namespace" ? f.Name : f.Namespace) == "payments" && f.Severity == Severity.High);
        Assert.Contains($"data-shown=\"{paymentsHigh}\"", Render(file, "#namespace=payments&severity=High&group=rule"), StringComparison.Ordinal);

        string artifacts = Path.Combine(TestPaths.RepoRoot, "TestResults");
        Directory.CreateDirectory(artifacts);
        string png = Path.Combine(artifacts, "html-report-grouped.png");
        Render(file, "#group=rule&open=1", png);
        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is missing or empty");
    }

    [ChromiumFact]
    public void With_scripts_off_the_first_page_of_findings_and_the_summaries_are_readable()
    {
        (AuditResult audit, string file) = DemoReport("noscript.html");
        string rendered = Render(file, string.Empty, scripts: false);
        Assert.DoesNotContain("data-ready=\"true\"", rendered, StringComparison.Ordinal);
        Assert.Equal(Math.Min(HtmlReportWriter.PageSize, audit.Findings.Count), Count(rendered, "<tr data-severity="));
        Assert.Contains($"<td>{audit.Findings[0].Resource}</td>", rendered, StringComparison.Ordinal);
        Assert.Contains("How to fix: </strong>", rendered, StringComparison.Ordinal);
        Assert.Contains("id=\"topfixes\"", rendered, StringComparison.Ordinal);
        // The planted attack path is drawn hop by hop.
        Assert.Contains("<span class=\"hop\">Deployment/shop/media-proxy</span><span class=\"arrow\">→</span><span class=\"hop\">Node/worker-1</span>", rendered, StringComparison.Ordinal);
        Assert.Contains("<tr data-framework=\"CIS\">", rendered, StringComparison.Ordinal);
        Assert.Contains("judged as of 2026-12-20 00:00 UTC", rendered, StringComparison.Ordinal);
        Assert.Contains("Source: samples/demo-cluster", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_fixes_rank_the_changes_that_remove_the_most_findings()
    {
        (AuditResult audit, _) = DemoReport("fixes.html");
        List<FixSuggestion> fixes = TopFixes.Rank(audit.Findings, HtmlReportWriter.TopFixCount);
        Assert.Equal(HtmlReportWriter.TopFixCount, fixes.Count);
        Assert.True(fixes.Zip(fixes.Skip(1)).All(p => p.First.FindingCount >= p.Second.FindingCount));
        // The binding that lets every authenticated identity read secrets is one change behind findings in many namespaces.
        FixSuggestion binding = Assert.Single(fixes, f => f.Target == "ClusterRoleBinding/all-users-read-secrets");
        Assert.Equal(audit.Findings.Count(f => f.Severity >= Severity.Low && f.Evidence.GetValueOrDefault("Binding") == "ClusterRoleBinding/all-users-read-secrets"), binding.FindingCount);
        Assert.StartsWith("remove Group:system:authenticated from", binding.Change, StringComparison.Ordinal);
        // Every finding at Low or above belongs to exactly one change.
        Assert.Equal(audit.Findings.Count(f => f.Severity >= Severity.Low), TopFixes.Rank(audit.Findings, int.MaxValue).Sum(f => f.FindingCount));
    }

    [ChromiumFact]
    public void A_baseline_marks_new_findings_and_lists_the_fixed_ones()
    {
        KubeSnapshot demo = RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster);
        AuditResult audit = AuditRunner.Run(demo, new AuditOptions { AsOf = DemoDate });
        var fixedOne = new Finding("KSEC-RBAC-002", "Wildcard", Severity.Medium, "RBAC", new ResourceRef("ClusterRole", null, "gone-role"), "gone-role uses wildcards.", "narrow it");
        List<Finding> baseline = audit.Findings.Skip(3).Append(fixedOne).ToList();
        (_, string file) = DemoReport("baseline.html", new HtmlReportOptions { Baseline = baseline, BaselineSource = "last-week.json" });

        string rendered = Render(file, string.Empty);
        Assert.Contains("data-new=\"3\"", rendered, StringComparison.Ordinal);
        Assert.Contains("data-fixed=\"1\"", rendered, StringComparison.Ordinal);
        Assert.Contains("gone-role uses wildcards.", rendered, StringComparison.Ordinal);
        Assert.Contains("last-week.json", rendered, StringComparison.Ordinal);
        string newOnly = Render(file, "#new=1");
        Assert.Contains("data-shown=\"3\"", newOnly, StringComparison.Ordinal);
        Assert.Equal(3, Count(newOnly, "<span class=\"new\">new</span>"));
    }

    [Fact]
    public void Everything_from_findings_is_encoded()
    {
        string html = HtmlReportWriter.Write(new[] { Hostile() }, null);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("</td><script>", html, StringComparison.Ordinal);
        Assert.Contains("\\u003C/td\\u003E\\u003Cscript\\u003E", html, StringComparison.Ordinal);
        Assert.Contains("fix \\u0026 go", html, StringComparison.Ordinal);
    }

    private static Finding Hostile() =>
        new("KSEC-TEST-001", "<script>alert(1)</script>", Severity.High, "<b>RBAC</b>", new ResourceRef("Pod", "a", "x\"><img src=x>"), "</td><script>", "fix & go", new[] { "javascript:alert(1)" });

    [ChromiumFact]
    public void Hostile_text_in_findings_is_shown_as_text_in_a_real_browser()
    {
        string file = Path.Combine(TestPaths.TempDirectory(), "hostile.html");
        File.WriteAllText(file, HtmlReportWriter.Write(new[] { Hostile() }, null));
        string rendered = Render(file, string.Empty);
        Assert.Contains("data-shown=\"1\"", rendered, StringComparison.Ordinal);
        Assert.Contains("x\"&gt;&lt;img src=x&gt;", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>RBAC</b>", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", rendered, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public void A_large_report_shows_one_page_of_rows_and_filters_over_all_findings()
    {
        var findings = Enumerable.Range(0, 2_000).Select(i => new Finding("KSEC-TEST-002", "t", i % 10 == 0 ? Severity.Critical : Severity.Low, "Workloads",
            new ResourceRef("Pod", "ns", $"pod-{i}"), $"message {i}", "fix", null, null, null, i % 2 == 0 ? "east" : "west")).ToList();
        string file = Path.Combine(TestPaths.TempDirectory(), "large.html");
        File.WriteAllText(file, HtmlReportWriter.Write(findings, null));

        string rendered = Render(file, string.Empty);
        Assert.Equal(HtmlReportWriter.PageSize, System.Text.RegularExpressions.Regex.Count(rendered, "<tr data-severity="));
        Assert.Contains($"Page 1 of {(2_000 + HtmlReportWriter.PageSize - 1) / HtmlReportWriter.PageSize}", rendered, StringComparison.Ordinal);
        Assert.Contains("<td>east</td>", rendered, StringComparison.Ordinal);
        Assert.Contains("data-shown=\"200\"", Render(file, "#severity=Critical"), StringComparison.Ordinal);
        Assert.Contains("data-shown=\"1000\"", Render(file, "#cluster=east"), StringComparison.Ordinal);
        Assert.Contains("data-shown=\"200\"", Render(file, "#cluster=east&severity=Critical"), StringComparison.Ordinal);
        string one = Render(file, "#filter=pod-1999");
        Assert.Contains("data-shown=\"1\"", one, StringComparison.Ordinal);
        Assert.Contains("<td>west</td>", one, StringComparison.Ordinal);
    }
}
