using System.Management.Automation;
using KubeSecurity.Completers;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Lists objects of a snapshot (or of files, or of a live cluster) by kind, namespace and name.</summary>
[Cmdlet(VerbsCommon.Get, "KubeObject", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeObject.md")]
[OutputType(typeof(KubeObject))]
public sealed class GetKubeObjectCommand : SnapshotInputCmdlet
{
    [Parameter]
    [ArgumentCompleter(typeof(KindCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Kind { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds =>
        Kind is { Length: > 0 } && Kind.All(k => !WildcardPattern.ContainsWildcardCharacters(k) && Core.Snapshots.KnownKinds.TryGet(k, out _)) ? Kind : null;

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        // kubectl's names work too: pods, deploy, clusterrolebindings.
        string[]? requested = Kind?.Select(k => !WildcardPattern.ContainsWildcardCharacters(k) && Core.Snapshots.KnownKinds.TryGet(k, out var known) ? known.Kind : k).ToArray();
        foreach (string kind in (requested ?? Array.Empty<string>()).Where(k => !WildcardPattern.ContainsWildcardCharacters(k)))
        {
            if (!Core.Snapshots.KnownKinds.IsKnown(kind) && !snapshot.Objects.Any(o => string.Equals(o.Kind, kind, StringComparison.OrdinalIgnoreCase)))
            {
                WriteError(new ErrorRecord(
                    new ArgumentException($"No object of kind '{kind}' is in {snapshot} and it is not a kind KubeSecurity knows. Kinds present: {string.Join(", ", snapshot.Counts.Keys.Order(StringComparer.Ordinal))}."),
                    ErrorIds.KindNotRecognized, ErrorCategory.ObjectNotFound, kind));
            }
        }

        List<WildcardPattern> kinds = Patterns(requested);
        List<WildcardPattern> names = Patterns(Name);
        HashSet<string>? namespaces = Namespace is { Length: > 0 } ? new HashSet<string>(Namespace, StringComparer.Ordinal) : null;
        foreach (KubeObject item in snapshot.Objects)
        {
            if ((kinds.Count == 0 || kinds.Any(p => p.IsMatch(item.Kind)))
                && (names.Count == 0 || names.Any(p => p.IsMatch(item.Name)))
                && (namespaces is null || (item.Namespace is not null && namespaces.Contains(item.Namespace))))
            {
                WriteObject(item);
            }
        }
    }

    private static List<WildcardPattern> Patterns(string[]? values) =>
        (values ?? Array.Empty<string>()).Select(v => new WildcardPattern(v, WildcardOptions.IgnoreCase)).ToList();
}
