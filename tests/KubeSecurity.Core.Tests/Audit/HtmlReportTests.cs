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
    private static string Render(string file, string hash, string? screenshot = null)
    {
        var start = new ProcessStartInfo(ChromiumFactAttribute.Browser!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600" })
        {
            start.ArgumentList.Add(argument);
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
        string one = Render(file, "#filter=pod-1999");
        Assert.Contains("data-shown=\"1\"", one, StringComparison.Ordinal);
        Assert.Contains("<td>west</td>", one, StringComparison.Ordinal);
    }
}
