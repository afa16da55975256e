using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Effective RBAC permissions: for named subjects, everything they hold through their own
/// bindings and their groups; without -Subject (or with wildcards), every binding subject's grants.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeRbacPermission", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeRbacPermission.md")]
[OutputType(typeof(RbacPermission), typeof(RbacSubjectSummary))]
public sealed class GetKubeRbacPermissionCommand : RbacCmdletBase
{
    /// <summary>Subjects (User:NAME, Group:NAME, ServiceAccount:NS/NAME, system:serviceaccount:NS:NAME); wildcards filter the binding subjects.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.SubjectCompleter))]
    public string[]? Subject { get; set; }

    /// <summary>Extra groups a named user belongs to (the authenticator adds them; the snapshot cannot know).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Group { get; set; }

    /// <summary>One summary line per subject instead of one row per rule.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        RbacPolicy policy = BuildPolicy(snapshot);
        (List<RbacSubject> exact, List<WildcardPattern> patterns) = SplitSubjects(Subject);
        List<RbacPermission> rows = exact.SelectMany(s => policy.PermissionsOf(RbacIdentity.For(s, Group))).ToList();

        if (Subject is null || patterns.Count > 0)
        {
            rows.AddRange(policy.AllPermissions().Where(r => patterns.Count == 0 || patterns.Any(p => p.IsMatch(r.Subject.ToString()))));
        }

        if (Namespace is { Length: > 0 })
        {
            rows = rows.Where(r => r.Namespace is null || Namespace.Contains(r.Namespace, StringComparer.Ordinal)).ToList();
        }

        WriteVerbose($"{rows.Count} permission row(s) for {rows.Select(r => r.Subject).Distinct().Count()} subject(s).");
        if (Summary)
        {
            WriteObject(rows.GroupBy(r => r.Subject).Select(Summarize).OrderByDescending(s => s.FullControl).ThenByDescending(s => s.ClusterWide).ThenBy(s => s.Subject.ToString(), StringComparer.Ordinal), enumerateCollection: true);
        }
        else
        {
            WriteObject(rows.OrderBy(r => r.Subject.ToString(), StringComparer.Ordinal).ThenBy(r => r.Scope, StringComparer.Ordinal), enumerateCollection: true);
        }
    }

    private static RbacSubjectSummary Summarize(IGrouping<RbacSubject, RbacPermission> rows) =>
        new(rows.Key, rows.Count(), rows.Any(r => r.Namespace is null),
            rows.Any(r => r.Verbs.Contains("*") && r.ApiGroups.Contains("*") && r.Resources.Contains("*") && r.ResourceNames.Count == 0),
            rows.Where(r => r.Namespace is not null).Select(r => r.Namespace!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            rows.Where(r => r.Binding is not null).Select(r => r.Binding!.ToString()).Distinct(StringComparer.Ordinal).ToList(),
            rows.Where(r => r.Role is not null).Select(r => r.Role!.ToString()).Distinct(StringComparer.Ordinal).ToList(),
            rows.SelectMany(r => r.Pods).Distinct(StringComparer.Ordinal).ToList());
}
