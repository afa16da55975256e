using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Secret audit findings: env exposure, orphans, missing references, staleness, legacy tokens, unneeded token mounts, broad read access, registry credentials, key material, personal information.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeSecret", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubeSecret.md")]
[OutputType(typeof(Finding))]
public sealed class TestKubeSecretCommand : SecretCmdletBase
{
    /// <summary>Secrets whose data has not changed for longer than this are reported (default 90).</summary>
    [Parameter]
    [ValidateRange(1, 36500)]
    public int MaxAgeDays { get; set; } = 90;

    /// <summary>The date to judge age against (default: now).</summary>
    [Parameter]
    public DateTimeOffset? AsOf { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        RbacPolicy policy = BuildPolicy(snapshot);
        SecretReviewResult review = SecretAnalyzer.Analyze(snapshot, policy, new SecretReviewOptions { MaxAgeDays = MaxAgeDays, AsOf = AsOf ?? DateTimeOffset.UtcNow });
        foreach (string problem in review.Problems)
        {
            WriteError(new ErrorRecord(new InvalidDataException(problem), ErrorIds.SecretUnreadable, ErrorCategory.InvalidData, problem.Split(':')[0]));
        }

        WarnRedacted(snapshot, review.ValuesRedacted ? 1 : 0, "content checks (registries of pull secrets, key material by content)");
        IEnumerable<Finding> findings = review.Findings;
        if (Namespace is { Length: > 0 })
        {
            findings = findings.Where(f => Namespace.Contains(f.Namespace ?? f.Name, StringComparer.Ordinal));
        }

        WriteObject(findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource.ToString(), StringComparer.Ordinal), enumerateCollection: true);
    }
}
