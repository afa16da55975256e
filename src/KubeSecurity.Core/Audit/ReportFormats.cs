using System.Text;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>Everything a report is written from: the findings, the audit summaries (one per cluster), certificates for metrics, and where the findings came from.</summary>
public sealed class ReportInput
{
    public List<Finding> Findings { get; } = new();
    public List<AuditSummary> Summaries { get; } = new();
    public List<(CertificateInfo Certificate, string? Cluster)> Certificates { get; } = new();

    /// <summary>For SARIF: the snapshot the findings came from, so results point at the manifest files that hold the objects.</summary>
    public KubeSnapshot? Snapshot { get; init; }

    /// <summary>For SARIF: the directory manifest paths are made relative to.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>For Prometheus: the cluster label of every metric (default: each finding's own cluster or context).</summary>
    public string? Cluster { get; init; }

    public string ToolVersion { get; init; } = "0.0.0";

    /// <summary>For HTML: the findings of an earlier JSON report, to mark what is new and list what was fixed.</summary>
    public IReadOnlyList<Finding>? Baseline { get; set; }

    /// <summary>Where <see cref="Baseline"/> came from.</summary>
    public string? BaselineSource { get; set; }

    public bool IsEmpty => Findings.Count + Summaries.Count + Certificates.Count == 0;
}

/// <summary>The report formats, by name and by file extension, and the one place that renders each.</summary>
public static class ReportFormats
{
    private static readonly Dictionary<string, Func<ReportInput, string>> Renderers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Html"] = input => HtmlReportWriter.Write(input.Findings, AuditSummaries.Combine(input.Summaries), new HtmlReportOptions { Baseline = input.Baseline, BaselineSource = input.BaselineSource }),
        ["Json"] = input => ToText(stream => ReportJson.Write(stream, input.Findings, AuditSummaries.Combine(input.Summaries), input.Summaries)),
        ["Sarif"] = input => ToText(stream => SarifWriter.Write(stream, input.Findings, Origins(input.Snapshot), input.BaseDirectory, input.ToolVersion)),
        ["Csv"] = input => ReportWriters.Csv(input.Findings),
        ["JUnit"] = input => ReportWriters.JUnit(input.Findings, AuditSummaries.Combine(input.Summaries)),
        ["Markdown"] = input => ReportWriters.Markdown(input.Findings, AuditSummaries.Combine(input.Summaries)),
        ["Prometheus"] = input => ReportWriters.Prometheus(input.Findings, input.Certificates, input.Summaries, input.Cluster),
    };

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "Html", [".htm"] = "Html", [".json"] = "Json", [".sarif"] = "Sarif", [".csv"] = "Csv",
        [".xml"] = "JUnit", [".md"] = "Markdown", [".prom"] = "Prometheus",
    };

    /// <summary>The format names, as -Format takes them.</summary>
    public static IReadOnlyList<string> Names { get; } = Renderers.Keys.ToArray();

    /// <summary>The format a file's extension implies (.html, .json, .sarif, .csv, .xml for JUnit, .md, .prom), or null.</summary>
    public static string? FromExtension(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path));

    /// <summary>The report as text.</summary>
    public static string Render(string format, ReportInput input) =>
        Renderers.TryGetValue(format, out Func<ReportInput, string>? render) ? render(input) : throw new ArgumentException($"'{format}' is not a report format; use one of {string.Join(", ", Names)}.", nameof(format));

    private static Dictionary<ResourceRef, string>? Origins(KubeSnapshot? snapshot) =>
        snapshot?.Objects.Where(o => o.Origin is not null).GroupBy(o => o.ToResourceRef()).ToDictionary(g => g.Key, g => g.First().Origin!);

    private static string ToText(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
