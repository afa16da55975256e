using System.Management.Automation;
using KubeSecurity.Core.Audit;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Runs every area on one snapshot, streams the findings and ends with a summary; suppressions
/// apply uniformly; -FailOn ends, after all output, with the non-terminating error AuditFailed when
/// findings at or above a severity remain (only new ones with -Baseline).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KubeSecurityAudit", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Invoke-KubeSecurityAudit.md")]
[OutputType(typeof(Finding), typeof(AuditSummary))]
public sealed class InvokeKubeSecurityAuditCommand : SnapshotInputCmdlet
{
    [Parameter]
    [ValidateAuditCategory]
    [ArgumentCompleter(typeof(Completers.AuditCategoryCompleter))]
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

    /// <summary>After all output, write the error AuditFailed (non-terminating: $? is false, results are kept) when findings at or above this severity remain.</summary>
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

    /// <summary>Auto (default): assume the Kubernetes default roles and bindings where the input lacks them; None: never; or a version (1.27 to 1.33).</summary>
    [Parameter]
    [ValidateDefaultRbac]
    [ArgumentCompleter(typeof(Completers.DefaultRbacCompleter))]
    public string DefaultRbac { get; set; } = "Auto";

    private IReadOnlyList<Suppression> suppressions = Array.Empty<Suppression>();
    private HashSet<string>? baseline;
    private readonly List<Finding> failing = new();
    private readonly List<AuditSummary> failingAudits = new();

    protected override void BeginProcessing()
    {
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
    }

    // Fleets: each cluster is audited on the worker that collected it, in parallel with the others.
    private protected override FleetAnalysis? AnalyzeOnWorker => (snapshot, reporter, token) => AuditRunner.Run(snapshot, Options(), reporter, token);

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        WriteVerbose($"Audit of {snapshot}{(Analysis is null ? string.Empty : " (run on the worker that collected it)")}.");
        AuditResult result = Analysis as AuditResult ?? RunEngine((reporter, token) => Task.FromResult(AuditRunner.Run(snapshot, Options(), reporter, token)));
        foreach (string problem in result.Problems)
        {
            WriteWarning($"Not analysed{(snapshot.Context is null ? string.Empty : $" in {snapshot.Context}")}: {problem}");
        }

        WriteObject(result.Findings, enumerateCollection: true);
        WriteObject(result.Summary);
        if (result.Failing.Count > 0)
        {
            failing.AddRange(result.Failing);
            failingAudits.Add(result.Summary!);
        }
    }

    private AuditOptions Options() => new()
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
        FailOn = FailOn,
        DefaultRbac = Core.Rbac.DefaultRbacChoice.FromValidated(DefaultRbac),
    };

    // -FailOn fails only after every snapshot (every cluster of a fleet) has been audited and every
    // finding and summary streamed: a non-terminating error, so `$results = ...` keeps the results and
    // a report cmdlet later in the pipeline still writes its file; $? is false and -ErrorVariable holds it.
    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (FailOn is Severity threshold && failing.Count > 0)
        {
            string where = failingAudits.Count > 1 ? $" in {failingAudits.Count} clusters ({string.Join(", ", failingAudits.Select(AuditSummaries.Origin))})" : string.Empty;
            WriteError(new ErrorRecord(new InvalidOperationException(
                $"{failing.Count} finding(s) at or above {threshold}{(baseline is null ? string.Empty : " new since the baseline")}{where}: {string.Join("; ", failing.Take(5).Select(Describe))}{(failing.Count > 5 ? "; ..." : string.Empty)}"),
                ErrorIds.AuditFailed, ErrorCategory.SecurityError, failingAudits.Count == 1 ? failingAudits[0] : failingAudits.ToArray()));
        }
    }

    private static string Describe(Finding finding) => $"{(finding.Context is null ? string.Empty : finding.Context + ": ")}{finding.RuleId} {finding.Resource}";
}
