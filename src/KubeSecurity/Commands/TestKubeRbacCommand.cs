using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Risky RBAC grants as findings: each names the binding, the subject, the role and rule, and the running pods that carry it.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeRbac", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubeRbac.md")]
[OutputType(typeof(Finding))]
public sealed class TestKubeRbacCommand : RbacCmdletBase
{
    /// <summary>Also review the API server's default roles and bindings (kubernetes.io/bootstrapping=rbac-defaults).</summary>
    [Parameter]
    public SwitchParameter IncludeSystemDefaults { get; set; }

    /// <summary>Only findings about these subjects (wildcards allowed, matched against User:NAME, Group:NAME, ServiceAccount:NS/NAME).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.SubjectCompleter))]
    public string[]? Subject { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        RbacPolicy policy = BuildPolicy(snapshot);
        List<Finding> findings = RunEngine((reporter, token) => Task.FromResult(
            RbacReview.Run(snapshot, policy, new RbacReviewOptions { IncludeSystemDefaults = IncludeSystemDefaults }, reporter, token)));
        if (Subject is { Length: > 0 })
        {
            var patterns = Subject.Select(s => new WildcardPattern(s, WildcardOptions.IgnoreCase)).ToList();
            findings = findings.Where(f => f.Evidence.TryGetValue("Subject", out string? subject) && patterns.Any(p => p.IsMatch(subject))).ToList();
        }

        WriteVerbose($"Reviewed {policy.Bindings.Count} binding(s) and {policy.Roles.Count} role(s): {findings.Count} finding(s).");
        WriteObject(findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource.ToString(), StringComparer.Ordinal), enumerateCollection: true);
    }
}
