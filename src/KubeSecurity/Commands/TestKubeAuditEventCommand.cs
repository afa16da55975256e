using System.Management.Automation;
using System.Net;
using KubeSecurity.Core.Audit;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;
using KubeSecurity.Core.AuditLog;

namespace KubeSecurity.Commands;

/// <summary>Findings from audit logs: unusual secret reads, exec/attach, successful anonymous requests, 403 bursts, unexpected source addresses.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeAuditEvent", HelpUri = HelpLinks.Base + "Test-KubeAuditEvent.md")]
[OutputType(typeof(Finding))]
public sealed class TestKubeAuditEventCommand : AuditLogCmdletBase
{
    /// <summary>Source ranges requests may come from (CIDR); requests from elsewhere are reported.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AllowedSourceCidr { get; set; }

    /// <summary>Principals with fewer secret reads than this in the log are reported for each read (default 10).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int NormalSecretReads { get; set; } = 10;

    /// <summary>This many 403s from one principal within five minutes is a burst (default 20).</summary>
    [Parameter]
    [ValidateRange(2, int.MaxValue)]
    public int ForbiddenBurst { get; set; } = 20;

    private readonly List<AuditEvent> events = new();

    protected override void ProcessRecord() => events.AddRange(ReadEvents(allStages: true));

    protected override void EndProcessing()
    {
        var networks = new List<IPNetwork>();
        foreach (string cidr in AllowedSourceCidr ?? Array.Empty<string>())
        {
            if (IPNetwork.TryParse(cidr, out IPNetwork network))
            {
                networks.Add(network);
            }
            else
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{cidr}' is not a CIDR range."), ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, cidr));
            }
        }

        List<Finding> findings = AuditEventAnalyzer.Analyze(events, new AuditEventReviewOptions { AllowedSources = networks, NormalSecretReads = NormalSecretReads, ForbiddenBurst = ForbiddenBurst });
        WriteVerbose($"Reviewed {events.Count} audit event(s): {findings.Count} finding(s).");
        WriteObject(findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal), enumerateCollection: true);
    }
}
