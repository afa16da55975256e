using System.Management.Automation;
using System.Text;
using KubeSecurity.Core.Audit;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Writes findings (and audit summaries) as an HTML, JSON, SARIF, CSV, JUnit XML, Markdown or
/// Prometheus report: to a file with -Path/-LiteralPath, else as text to the pipeline.
/// </summary>
/// <remarks>
/// The file is written as soon as an audit summary arrives (an audit's last object), and again at
/// the end only if more input came after it, so an audit that ends with an error (its -FailOn gate
/// under -ErrorAction Stop) still leaves a complete report. With no input at all the file is left
/// as it was: a failed audit never replaces the previous report (a -Baseline) with an empty one.
/// </remarks>
[Cmdlet(VerbsData.Export, "KubeSecurityReport", SupportsShouldProcess = true, DefaultParameterSetName = TextSet,
    HelpUri = HelpLinks.Base + "Export-KubeSecurityReport.md")]
[OutputType(typeof(string), ParameterSetName = new[] { TextSet })]
[OutputType(typeof(FileInfo), ParameterSetName = new[] { PathSet, LiteralPathSet })]
public sealed class ExportKubeSecurityReportCommand : KubeCmdletBase
{
    private const string TextSet = "Text";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private ReportInput report = new();
    private int ignored;
    private bool pendingSinceLastWrite;
    private bool written;
    private bool failed;

    /// <summary>Findings and the AuditSummary (one per cluster of a fleet) from Invoke-KubeSecurityAudit or any Test-Kube* cmdlet; certificates for Prometheus; other objects are ignored with a warning.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    /// <summary>The report format; with -Path it defaults from the file extension (.html, .json, .sarif, .csv, .xml for JUnit, .md, .prom).</summary>
    [Parameter]
    [ValidateSet("Html", "Json", "Sarif", "Csv", "JUnit", "Markdown", "Prometheus")]
    public string? Format { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? LiteralPath { get; set; }

    /// <summary>Return the report as text (the default when no path is given).</summary>
    [Parameter(ParameterSetName = TextSet)]
    public SwitchParameter AsText { get; set; }

    /// <summary>The cluster label of all Prometheus metrics (default: each finding's and certificate's own cluster or context).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Cluster { get; set; }

    /// <summary>For SARIF: the snapshot the findings came from, so results point at the manifest files that hold the objects.</summary>
    [Parameter]
    public KubeSnapshot? Snapshot { get; set; }

    /// <summary>For HTML: an earlier JSON report; findings not in it are marked new and its findings no longer found are listed as fixed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Baseline { get; set; }

    /// <summary>Write a report even when no finding or summary arrived (a clean run of a Test-Kube* cmdlet).</summary>
    [Parameter]
    public SwitchParameter AllowEmpty { get; set; }

    /// <summary>Overwrite a read-only file.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Do not overwrite an existing file.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Return the written file.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public SwitchParameter PassThru { get; set; }

    // The file of -Path/-LiteralPath, resolved once against the location the command started in.
    private string? Target { get; set; }

    private string? format;

    protected override void BeginProcessing()
    {
        Target = ParameterSetName switch
        {
            PathSet => OutputFile.Resolve(this, Path!),
            LiteralPathSet => OutputFile.Resolve(this, LiteralPath!),
            _ => null,
        };
        format = Format;
        report = new ReportInput
        {
            Snapshot = Snapshot,
            Cluster = Cluster,
            BaseDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            ToolVersion = typeof(Finding).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        };
        if (Baseline is not null)
        {
            try
            {
                report.Baseline = ReportJson.ReadFindings(ReadTextFile(Baseline), Baseline);
                report.BaselineSource = System.IO.Path.GetFileName(Baseline);
                WriteVerbose($"Compared with the {report.Baseline.Count} finding(s) of the baseline {Baseline}.");
            }
            catch (InvalidDataException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.BaselineInvalid, ErrorCategory.InvalidData, Baseline));
            }
        }

        if (format is null && Target is string target)
        {
            format = ReportFormats.FromExtension(target);
        }

        if (format is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException(Target is null
                    ? "Give -Format (Html, Json, Sarif, Csv, JUnit, Markdown or Prometheus) to return a report as text."
                    : $"The format cannot be told from the extension of '{Target}'; give -Format (Html, Json, Sarif, Csv, JUnit, Markdown or Prometheus)."),
                ErrorIds.ReportFormatUnknown, ErrorCategory.InvalidArgument, Target));
        }
    }

    protected override void ProcessRecord()
    {
        object? input = InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject;
        switch (input)
        {
            case null:
                return;
            case Finding finding:
                report.Findings.Add(finding);
                pendingSinceLastWrite = true;
                break;
            case AuditSummary audit:
                report.Summaries.Add(audit);
                pendingSinceLastWrite = true;
                // An audit's summary is its last object: write now, so an error the audit raises
                // after it (-FailOn) cannot stop the report from being written.
                if (Target is not null)
                {
                    WriteReport();
                }

                break;
            case CertificateInfo certificate:
                // Certificates from a cluster carry its name as a note property (see OutputOrigin).
                PSObject marked = PSObject.AsPSObject(InputObject);
                report.Certificates.Add((certificate, (marked.Properties["Cluster"]?.Value ?? marked.Properties["Context"]?.Value) as string));
                pendingSinceLastWrite = true;
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

        if (Target is null)
        {
            if (!report.IsEmpty || AllowEmpty)
            {
                WriteObject(Render());
            }
            else
            {
                WriteEmptyInputError(null);
            }

            return;
        }

        if (!written && report.IsEmpty && !AllowEmpty)
        {
            WriteEmptyInputError(Target);
            return;
        }

        if (!written || pendingSinceLastWrite)
        {
            WriteReport();
        }

        if (written && PassThru)
        {
            WriteObject(InvokeProvider.Item.Get(new[] { Target }, force: true, literalPath: true), enumerateCollection: true);
        }
    }

    private void WriteEmptyInputError(string? target) =>
        WriteError(new ErrorRecord(
            new InvalidOperationException(
                "No finding, certificate or audit summary reached Export-KubeSecurityReport, so no report was written" +
                (target is not null && File.Exists(target) ? $" and '{target}' was left unchanged" : string.Empty) +
                ". If the audit before it failed, fix that first; to write a report with no findings, add -AllowEmpty."),
            ErrorIds.ReportInputEmpty, ErrorCategory.InvalidData, target));

    private void WriteReport()
    {
        if (failed)
        {
            return;
        }

        string target = Target!;
        string action = $"Write a {format} report of {report.Findings.Count} finding(s)";
        // Rendered only once ShouldProcess agreed; -PassThru returns the file once, at the end.
        if (OutputFile.Write(this, target, Force, NoClobber && !written, passThru: false, action, stream => stream.Write(new UTF8Encoding(false).GetBytes(Render()))))
        {
            written = true;
            pendingSinceLastWrite = false;
            WriteVerbose($"Wrote a {format} report of {report.Findings.Count} finding(s) and {report.Summaries.Count} audit summary(ies) to {target}.");
        }
        else
        {
            // Refused (-NoClobber, -WhatIf, read-only) or failed: do not ask or fail again for the same file.
            failed = true;
        }
    }

    private string Render() => ReportFormats.Render(format!, report);
}
