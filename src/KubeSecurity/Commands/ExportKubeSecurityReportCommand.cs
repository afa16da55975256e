using System.Management.Automation;
using System.Text;
using KubeSecurity.Core.Audit;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Writes findings (and an audit summary) as a JSON, CSV, JUnit XML or Markdown report.</summary>
[Cmdlet(VerbsData.Export, "KubeSecurityReport", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(FileInfo), typeof(string))]
public sealed class ExportKubeSecurityReportCommand : KubeCmdletBase
{
    private const string PathSet = "Path";
    private const string TextSet = "Text";
    private readonly List<Finding> findings = new();
    private readonly List<(CertificateInfo Certificate, string? Cluster)> certificates = new();
    private readonly List<AuditSummary> summaries = new();

    /// <summary>Findings and the AuditSummary (one per cluster of a fleet) from Invoke-KubeSecurityAudit or any Test-Kube* cmdlet; certificates for Prometheus; other objects are ignored with a warning.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateSet("Html", "Json", "Sarif", "Csv", "JUnit", "Markdown", "Prometheus")]
    public string? Format { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Return the report as text instead of writing a file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet)]
    public SwitchParameter AsText { get; set; }

    /// <summary>The cluster label of all Prometheus metrics (default: each finding's and certificate's own cluster or context).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Cluster { get; set; }

    /// <summary>For SARIF: the snapshot the findings came from, so results point at the manifest files that hold the objects.</summary>
    [Parameter]
    public KubeSnapshot? Snapshot { get; set; }

    /// <summary>Do not overwrite an existing file.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter NoClobber { get; set; }

    private int ignored;

    protected override void ProcessRecord()
    {
        switch (InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject)
        {
            case Finding finding:
                findings.Add(finding);
                break;
            case AuditSummary audit:
                summaries.Add(audit);
                break;
            case CertificateInfo certificate:
                // Certificates from a cluster carry its name as a note property (see OutputOrigin).
                PSObject marked = PSObject.AsPSObject(InputObject);
                certificates.Add((certificate, (marked.Properties["Cluster"]?.Value ?? marked.Properties["Context"]?.Value) as string));
                break;
            default:
                ignored++;
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ignored > 0)
        {
            WriteWarning($"{ignored} input object(s) were neither findings, certificates nor an audit summary and are not in the report.");
        }

        AuditSummary? summary = AuditSummaries.Combine(summaries);
        string report;
        switch (Format)
        {
            case "Json":
                using (var stream = new MemoryStream())
                {
                    ReportJson.Write(stream, findings, summary, summaries);
                    report = Encoding.UTF8.GetString(stream.ToArray());
                }

                break;
            case "Csv":
                report = ReportWriters.Csv(findings);
                break;
            case "Html":
                report = HtmlReportWriter.Write(findings, summary);
                break;
            case "Sarif":
                using (var stream = new MemoryStream())
                {
                    Dictionary<ResourceRef, string>? origins = Snapshot?.Objects.Where(o => o.Origin is not null)
                        .GroupBy(o => o.ToResourceRef()).ToDictionary(g => g.Key, g => g.First().Origin!);
                    string version = typeof(Finding).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
                    SarifWriter.Write(stream, findings, origins, SessionState.Path.CurrentFileSystemLocation.ProviderPath, version);
                    report = Encoding.UTF8.GetString(stream.ToArray());
                }

                break;
            case "JUnit":
                report = ReportWriters.JUnit(findings, summary);
                break;
            case "Prometheus":
                report = ReportWriters.Prometheus(findings, certificates, summaries, Cluster);
                break;
            default:
                report = ReportWriters.Markdown(findings, summary);
                break;
        }

        if (AsText)
        {
            WriteObject(report);
            return;
        }

        string target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(target) && NoClobber)
        {
            WriteError(new ErrorRecord(new IOException($"The file '{target}' already exists and -NoClobber was given."), ErrorIds.FileExists, ErrorCategory.ResourceExists, target));
            return;
        }

        if (!ShouldProcess(target, $"Write a {Format} report of {findings.Count} finding(s)"))
        {
            return;
        }

        try
        {
            File.WriteAllText(target, report, new UTF8Encoding(false));
            WriteObject(new FileInfo(target));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.FileWriteFailed, ErrorCategory.WriteError, target));
        }
    }
}
