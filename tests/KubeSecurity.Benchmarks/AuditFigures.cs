using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KubeSecurity.Core.Audit;
using KubeSecurity.Model;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// One-shot figures for issue 7's targets that BenchmarkDotNet cannot take: the peak working set
/// of a whole Invoke-KubeSecurityAudit run in a fresh process, and how long Chromium takes to open
/// (parse, lay out, run the script of) a 50,000-finding report.
/// </summary>
internal static class AuditFigures
{
    public static int Run()
    {
        string directory = Path.Combine(Path.GetTempPath(), "kubesecurity-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string cluster = Path.Combine(directory, "all-areas.json");
        KubeSnapshot snapshot = SyntheticAuditCluster.Build();
        SyntheticAuditCluster.Write(snapshot, cluster);
        Console.WriteLine($"cluster {SyntheticAuditCluster.Describe(snapshot)}; {new FileInfo(cluster).Length / 1048576.0:N0} MiB as one JSON List");
        snapshot = null!;
        GC.Collect();

        for (int round = 0; round < 3; round++)
        {
            Console.WriteLine($"audit   round {round + 1}: {Figures.RunChild("--child-audit", cluster).Trim()}");
        }

        string? browser = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (browser is null)
        {
            Console.WriteLine("html    skipped: Chromium is not installed");
            return 0;
        }

        string large = Path.Combine(directory, "report-50000.html");
        File.WriteAllText(large, HtmlReportWriter.Write(SyntheticAuditCluster.Findings(50_000), null));
        string small = Path.Combine(directory, "report-10.html");
        File.WriteAllText(small, HtmlReportWriter.Write(SyntheticAuditCluster.Findings(10), null));
        Console.WriteLine($"html    50,000 findings: {new FileInfo(large).Length / 1048576.0:N1} MiB");
        for (int round = 0; round < 3; round++)
        {
            (double smallSeconds, string smallOpen) = Open(browser, small);
            (double largeSeconds, string largeOpen) = Open(browser, large);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"html    round {round + 1}: 50,000 findings open in {largeOpen} (Chromium process {largeSeconds:N2} s); 10 findings open in {smallOpen} (process {smallSeconds:N2} s)"));
        }

        return 0;
    }

    // The report is opened in a frame of a page that times it: from inserting the frame to the
    // report's load event (its script has run and filled the table) plus a forced layout, which is
    // what a person waits for. The Chromium process time, start-up included, is printed beside it.
    private static (double Seconds, string Open) Open(string browser, string file)
    {
        string timer = Path.Combine(Path.GetDirectoryName(file)!, "open-" + Path.GetFileName(file));
        File.WriteAllText(timer, $$"""
            <!DOCTYPE html><html><body><script>var t0=performance.now();</script><iframe id="f" src="{{Path.GetFileName(file)}}" style="width:1280px;height:1600px"></iframe><script>
            document.getElementById('f').addEventListener('load',function(){var d=this.contentDocument;var h=d.body.offsetHeight;document.body.setAttribute('data-open-ms',Math.round(performance.now()-t0));document.body.setAttribute('data-report-ready',d.body.getAttribute('data-ready'));document.body.setAttribute('data-report-shown',d.getElementById('shown').getAttribute('data-shown'));});
            </script></body></html>
            """);
        var start = new ProcessStartInfo(browser) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--allow-file-access-from-files", "--window-size=1280,1600", "--dump-dom", new Uri(timer).AbsoluteUri })
        {
            start.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        Task<string> dom = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        watch.Stop();
        System.Text.RegularExpressions.Match body = System.Text.RegularExpressions.Regex.Match(dom.Result,
            "data-open-ms=\"(\\d+)\" data-report-ready=\"([^\"]*)\" data-report-shown=\"(\\d+)\"");
        return (watch.Elapsed.TotalSeconds, body.Success
            ? $"{body.Groups[1].Value} ms (script ran: {body.Groups[2].Value == "true"}, findings: {body.Groups[3].Value})"
            : "? (the report did not finish loading)");
    }

    public static int ChildAudit(string file)
    {
        using PowerShell shell = PowerShell.Create(InitialSessionState.CreateDefault2());
        shell.AddCommand("Import-Module").AddParameter("Name", Figures.StagedManifest).Invoke();
        shell.Commands.Clear();
        var watch = Stopwatch.StartNew();
        shell.AddScript("$r = Invoke-KubeSecurityAudit -LiteralPath $args[0] -AsOf '2026-12-20'; $r.Count; $r[-1].ToString()").AddArgument(file);
        var output = shell.Invoke();
        watch.Stop();
        if (shell.HadErrors)
        {
            Console.Error.WriteLine(string.Join("; ", shell.Streams.Error.Take(5)));
            return 1;
        }

        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Invoke-KubeSecurityAudit -LiteralPath (load and audit) {watch.Elapsed.TotalSeconds:N2} s, {output[0]} objects out; peak working set {self.PeakWorkingSet64 / 1048576.0:N0} MiB; {output[1]}"));
        return 0;
    }
}
