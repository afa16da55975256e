using System.Management.Automation;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Rules;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// The audit seen through compliance frameworks (CIS Kubernetes Benchmark, NSA/CISA guidance, Pod
/// Security Standards, MITRE ATT&amp;CK for Containers): one object per control with its status, the
/// findings and resources that failed it, then a score per framework. It reads the output of
/// Invoke-KubeSecurityAudit from the pipeline, or runs the audit itself on a cluster, files or a snapshot.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeComplianceReport", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeComplianceReport.md")]
[OutputType(typeof(ComplianceControlResult), typeof(ComplianceScore))]
public sealed class GetKubeComplianceReportCommand : SnapshotInputCmdlet
{
    private const string AuditSet = "Audit";

    /// <summary>Findings and the audit summary of Invoke-KubeSecurityAudit (or of Test-KubeEncryptionConfiguration and other area cmdlets, with the audit's summary).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = AuditSet)]
    public object? InputObject { get; set; }

    /// <summary>The frameworks to report (default: all four).</summary>
    [Parameter(Position = 0)]
    [ValidateSet("CIS", "NSA", "PSS", "MITRE", IgnoreCase = true)]
    public string[]? Framework { get; set; }

    /// <summary>Only controls with these statuses (the scores still count every control).</summary>
    [Parameter]
    public ComplianceStatus[]? Status { get; set; }

    /// <summary>Only the score of each framework, not its controls.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary>For the audit this cmdlet runs itself: evaluate the Restricted Pod Security Standard too, so its controls are decided.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = SnapshotSet)]
    public SwitchParameter RestrictedPodSecurity { get; set; }

    /// <summary>For the audit this cmdlet runs itself: the date expiry and age are judged against (default: now).</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = SnapshotSet)]
    public DateTimeOffset? AsOf { get; set; }

    private readonly List<Finding> findings = new();
    private readonly List<AuditSummary> summaries = new();
    private int ignored;

    protected override void ProcessRecord()
    {
        if (ParameterSetName != AuditSet)
        {
            base.ProcessRecord();
            return;
        }

        switch (InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject)
        {
            case Finding finding:
                findings.Add(finding);
                break;
            case AuditSummary summary:
                summaries.Add(summary);
                break;
            case null:
                break;
            default:
                ignored++;
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != AuditSet)
        {
            base.EndProcessing();
            return;
        }

        if (ignored > 0)
        {
            WriteWarning($"{ignored} input object(s) were neither findings nor an audit summary and are not counted.");
        }

        if (findings.Count == 0 && summaries.Count == 0)
        {
            WriteError(new ErrorRecord(new InvalidOperationException("No finding or audit summary reached Get-KubeComplianceReport. Pipe the whole output of Invoke-KubeSecurityAudit to it, or give -LiteralPath, -Snapshot or -Context so it runs the audit itself."),
                ErrorIds.ComplianceInputEmpty, ErrorCategory.InvalidData, null));
            return;
        }

        if (summaries.Count == 0)
        {
            WriteWarning("No audit summary came with the findings, so it is unknown which rules ran: controls without a failing finding are reported NotEvaluated. Pipe the whole output of Invoke-KubeSecurityAudit.");
        }

        Report(findings, AuditSummaries.Combine(summaries));
    }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        var options = new AuditOptions { AsOf = AsOf ?? DateTimeOffset.UtcNow, RestrictedPodSecurity = RestrictedPodSecurity };
        WriteVerbose($"Audit of {snapshot} for the compliance report{(RestrictedPodSecurity ? " (with the Restricted Pod Security Standard)" : string.Empty)}.");
        AuditResult result = RunEngine((reporter, token) => Task.FromResult(AuditRunner.Run(snapshot, options, reporter, token)));
        Report(result.Findings, result.Summary);
    }

    private void Report(IReadOnlyList<Finding> input, AuditSummary? summary)
    {
        IEnumerable<ComplianceFramework> frameworks = Framework is { Length: > 0 }
            ? ComplianceFrameworks.All.Where(f => Framework.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
            : ComplianceFrameworks.All;
        foreach (ComplianceFramework framework in frameworks)
        {
            List<ComplianceControlResult> results = ComplianceEvaluator.Evaluate(framework, input, summary);
            ComplianceScore score = ComplianceEvaluator.Score(framework, results);
            WriteVerbose($"{framework.Title} {framework.Version}: {score}. {framework.Meaning}");
            if (!Summary)
            {
                WriteObject(results.Where(r => Status is not { Length: > 0 } || Status.Contains(r.Status)), enumerateCollection: true);
            }

            WriteObject(score);
        }
    }
}
