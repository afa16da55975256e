using System.Management.Automation;
using KubeSecurity.Completers;
using KubeSecurity.Core.Live;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Builds a snapshot of the cluster for analysis: live through the kubeconfig (the default; several
/// contexts or wildcards collect a fleet in parallel), or from manifest files, directories and
/// saved snapshots.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeSnapshot", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeSnapshot.md")]
[OutputType(typeof(KubeSnapshot))]
public sealed class GetKubeSnapshotCommand : SnapshotSourceCmdlet
{
    private readonly List<string> paths = new();

    [Parameter]
    [ArgumentCompleter(typeof(KindCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Kind { get; set; }

    protected override void BeginProcessing()
    {
        foreach (string kind in Kind ?? Array.Empty<string>())
        {
            if (!Core.Snapshots.KnownKinds.TryGet(kind, out _))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"'{kind}' is not a kind a snapshot collects. Known kinds: {string.Join(", ", Core.Snapshots.KnownKinds.All.Select(k => k.Kind))}."),
                    ErrorIds.InvalidKind, ErrorCategory.InvalidArgument, kind));
            }
        }
    }

    protected override void ProcessRecord()
    {
        paths.AddRange(ResolveInputPaths());
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == LiveSet)
        {
            CollectLive(Kind ?? Array.Empty<string>(), null, (snapshot, _) => WriteObject(snapshot));
        }
        else if (paths.Count > 0)
        {
            WriteObject(SnapshotAcquisition.FromFiles(this, paths, Namespace, Kind));
        }
    }
}
