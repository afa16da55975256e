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
        var finding = new Finding("KSEC-TEST-001", "<script>alert(1)</script>", Severity.High, "RBAC", new ResourceRef("Pod", "a", "x\"><img src=x>"), "</td><script>", "fix & go");
        string html = HtmlReportWriter.Write(new[] { finding }, null);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/td&gt;&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("fix &amp; go", html, StringComparison.Ordinal);
    }
}
