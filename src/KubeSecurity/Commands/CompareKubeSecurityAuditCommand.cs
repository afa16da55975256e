using System.Management.Automation;
using KubeSecurity.Core.Audit;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Drift between two audits: new, fixed and (optionally) unchanged findings, from JSON reports or finding objects.</summary>
[Cmdlet(VerbsData.Compare, "KubeSecurityAudit", HelpUri = HelpLinks.Base + "Compare-KubeSecurityAudit.md")]
[OutputType(typeof(AuditChange))]
public sealed class CompareKubeSecurityAuditCommand : KubeCmdletBase
{
    /// <summary>The earlier audit: a JSON report path (Export-KubeSecurityReport -Format Json) or findings.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object[]? Reference { get; set; }

    /// <summary>The later audit, in the same forms.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public object[]? Difference { get; set; }

    /// <summary>Also list the findings present in both.</summary>
    [Parameter]
    public SwitchParameter IncludeUnchanged { get; set; }

    protected override void EndProcessing()
    {
        List<Finding> before = Resolve(Reference!, nameof(Reference));
        List<Finding> after = Resolve(Difference!, nameof(Difference));
        List<AuditChange> changes = AuditDrift.Compare(before, after, IncludeUnchanged);
        WriteVerbose($"{changes.Count(c => c.Change == "New")} new and {changes.Count(c => c.Change == "Fixed")} fixed finding(s) ({before.Count} before, {after.Count} after).");
        WriteObject(changes, enumerateCollection: true);
    }

    private List<Finding> Resolve(object[] values, string parameter)
    {
        var findings = new List<Finding>();
        foreach (object value in values.Select(v => v is PSObject p ? p.BaseObject : v))
        {
            switch (value)
            {
                case Finding finding:
                    findings.Add(finding);
                    break;
                case AuditSummary:
                    break;
                case string path:
                    try
                    {
                        findings.AddRange(ReportJson.ReadFindings(ReadTextFile(path), path));
                    }
                    catch (InvalidDataException ex)
                    {
                        ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.BaselineInvalid, ErrorCategory.InvalidData, path));
                    }

                    break;
                default:
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-{parameter} takes JSON report paths or findings, not a {value.GetType().Name}."), ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, value));
                    break;
            }
        }

        return findings;
    }
}
