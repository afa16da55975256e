using System.Management.Automation;
using KubeSecurity.Core.Audit;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Runs every area on one snapshot, streams the findings and ends with a summary; suppressions
/// apply uniformly; -FailOn ends with a terminating error when findings at or above a severity
/// remain (only new ones with -Baseline).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KubeSecurityAudit", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(Finding), typeof(AuditSummary))]
public sealed class InvokeKubeSecurityAuditCommand : SnapshotInputCmdlet
{
    [Parameter]
    [ValidateSet("Certificates", "RBAC", "Network", "Secrets", "Workloads", "Coverage")]
    public string[]? Category { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.RuleIdCompleter))]
    public string[]? IncludeRule { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.RuleIdCompleter))]
    public string[]? ExcludeRule { get; set; }

    [Parameter]
    public Severity MinimumSeverity { get; set; } = Severity.Info;

    /// <summary>A YAML file of suppressions: ruleId, resource (Kind/namespace/name, wildcards), justification, expires.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SuppressionPath { get; set; }

    /// <summary>End with a terminating error (AuditFailed) when findings at or above this severity remain.</summary>
    [Parameter]
    public Severity? FailOn { get; set; }

    /// <summary>A previous JSON report (Export-KubeSecurityReport -Format Json): -FailOn then counts only findings new since it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Baseline { get; set; }

    /// <summary>Apply the Restricted Pod Security Standard instead of Baseline.</summary>
    [Parameter]
    public SwitchParameter RestrictedPodSecurity { get; set; }

    /// <summary>The date to evaluate expiry and age against (default: now).</summary>
    [Parameter]
    public DateTimeOffset? AsOf { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        IReadOnlyList<Suppression> suppressions = Array.Empty<Suppression>();
        if (SuppressionPath is not null)
        {
            try
            {
                suppressions = Suppressions.Parse(ReadTextFile(SuppressionPath), SuppressionPath);
            }
            catch (SuppressionFileException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.SuppressionFileInvalid, ErrorCategory.InvalidData, SuppressionPath));
            }
        }

        HashSet<string>? baseline = null;
        if (Baseline is not null)
        {
            try
            {
                baseline = ReportJson.ReadKeys(ReadTextFile(Baseline), Baseline);
            }
            catch (InvalidDataException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.BaselineInvalid, ErrorCategory.InvalidData, Baseline));
            }
        }

        var options = new AuditOptions
        {
            AsOf = AsOf ?? DateTimeOffset.UtcNow,
            Categories = Category,
            IncludeRules = IncludeRule,
            ExcludeRules = ExcludeRule,
            MinimumSeverity = MinimumSeverity,
            RestrictedPodSecurity = RestrictedPodSecurity,
            Suppressions = suppressions,
            SuppressionSource = SuppressionPath ?? "suppressions",
            BaselineKeys = baseline,
        };
        AuditResult result = RunEngine((reporter, token) => Task.FromResult(AuditRunner.Run(snapshot, options, reporter, token)));
        foreach (string problem in result.Problems)
        {
            WriteWarning($"Not analysed: {problem}");
        }

        WriteObject(result.Findings, enumerateCollection: true);
        WriteObject(result.Summary);
        if (FailOn is Severity threshold)
        {
            List<Finding> failing = result.Findings.Where(f => f.Severity >= threshold && (baseline is null || result.New.Contains(f))).ToList();
            if (failing.Count > 0)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(
                    $"{failing.Count} finding(s) at or above {threshold}{(baseline is null ? string.Empty : " new since the baseline")}: {string.Join("; ", failing.Take(5).Select(f => $"{f.RuleId} {f.Resource}"))}{(failing.Count > 5 ? "; ..." : string.Empty)}"),
                    ErrorIds.AuditFailed, ErrorCategory.SecurityError, result.Summary));
            }
        }
    }
}
