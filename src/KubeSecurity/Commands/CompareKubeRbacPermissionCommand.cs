using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Permissions gained and lost per subject between two snapshots (objects or saved snapshot/manifest paths).</summary>
[Cmdlet(VerbsData.Compare, "KubeRbacPermission", HelpUri = HelpLinks.Base + "Compare-KubeRbacPermission.md")]
[OutputType(typeof(RbacPermissionChange))]
public sealed class CompareKubeRbacPermissionCommand : KubeCmdletBase
{
    /// <summary>The earlier state: a snapshot object, or paths of a saved snapshot or manifests.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object? Reference { get; set; }

    /// <summary>The later state: a snapshot object, or paths of a saved snapshot or manifests.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public object? Difference { get; set; }

    /// <summary>Only changes of these subjects (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.SubjectCompleter))]
    public string[]? Subject { get; set; }

    protected override void EndProcessing()
    {
        RbacPolicy before = RbacPolicy.Build(Resolve(Reference!, nameof(Reference)));
        RbacPolicy after = RbacPolicy.Build(Resolve(Difference!, nameof(Difference)));
        List<RbacPermissionChange> changes = RbacPermissionComparer.Compare(before, after);
        if (Subject is { Length: > 0 })
        {
            var patterns = Subject.Select(s => new WildcardPattern(s, WildcardOptions.IgnoreCase)).ToList();
            changes = changes.Where(c => patterns.Any(p => p.IsMatch(c.Subject.ToString()))).ToList();
        }

        WriteVerbose($"{changes.Count(c => c.Change == "Gained")} permission(s) gained and {changes.Count(c => c.Change == "Lost")} lost across {changes.Select(c => c.Subject).Distinct().Count()} subject(s).");
        WriteObject(changes, enumerateCollection: true);
    }

    private KubeSnapshot Resolve(object value, string parameter)
    {
        object unwrapped = value is PSObject wrapped ? wrapped.BaseObject : value;
        switch (unwrapped)
        {
            case KubeSnapshot snapshot:
                return snapshot;
            case string or object[] or string[]:
                var texts = (unwrapped is string single ? new object[] { single } : ((System.Collections.IEnumerable)unwrapped).Cast<object>())
                    .Select(o => (o is PSObject p ? p.BaseObject : o)?.ToString() ?? string.Empty).ToList();
                return SnapshotAcquisition.FromFiles(this, SnapshotAcquisition.ResolvePaths(this, texts, literal: false), null, null);
            default:
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-{parameter} must be a snapshot (Get-KubeSnapshot, Import-KubeSnapshot) or the path of a saved snapshot or manifests, not a {unwrapped.GetType().Name}."),
                    ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, value));
                return null!;
        }
    }
}
