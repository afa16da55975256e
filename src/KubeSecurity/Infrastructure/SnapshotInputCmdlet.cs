using System.Management.Automation;
using KubeSecurity.Completers;
using KubeSecurity.Core.Live;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// The one way every analysis cmdlet takes its input: a snapshot from the pipeline or -Snapshot,
/// files and saved snapshots from -Path/-LiteralPath, or a live cluster from -Context/-Kubeconfig
/// (the default, with the current context). Derived cmdlets implement <see cref="ProcessSnapshot"/>.
/// </summary>
public abstract class SnapshotInputCmdlet : KubeCmdletBase
{
    protected const string SnapshotSet = "Snapshot";
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";
    protected const string LiveSet = "Live";

    private readonly List<string> pendingPaths = new();
    private readonly List<string> claimedFiles = new();

    [Parameter(Mandatory = true, ParameterSetName = SnapshotSet, ValueFromPipeline = true)]
    public KubeSnapshot? Snapshot { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    [ArgumentCompleter(typeof(ContextCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter InCluster { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter SkipTlsVerify { get; set; }

    /// <summary>Namespaces to look at; pushed down to the API when live.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    /// <summary>The kinds the cmdlet needs from a live cluster; null means every known kind.</summary>
    protected virtual IReadOnlyList<string>? RequiredKinds => null;

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case SnapshotSet when Snapshot is not null:
                ProcessSnapshot(Snapshot);
                break;
            case PathSet:
                SortPaths(SnapshotAcquisition.ResolvePaths(this, Path!, literal: false));
                break;
            case LiteralPathSet:
                SortPaths(SnapshotAcquisition.ResolvePaths(this, LiteralPath!, literal: true));
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName is PathSet or LiteralPathSet)
        {
            if (pendingPaths.Count > 0)
            {
                ProcessSnapshot(SnapshotAcquisition.FromFiles(this, pendingPaths, Namespace, null));
            }
            else if (claimedFiles.Count > 0)
            {
                // Only claimed files (certificates, say): analyse them with an empty snapshot.
                ProcessSnapshot(new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, Array.Empty<KubeObject>(), origins: claimedFiles));
            }
        }
        else if (ParameterSetName == LiveSet)
        {
            LiveConnectionOptions connection = SnapshotAcquisition.LiveConnection(this, Kubeconfig, Context, InCluster, SkipTlsVerify);
            var options = new LiveSnapshotOptions { Namespaces = Namespace ?? Array.Empty<string>(), Kinds = RequiredKinds ?? Array.Empty<string>() };
            ProcessSnapshot(SnapshotAcquisition.FromLive(this, connection, options));
        }
    }

    /// <summary>
    /// Files a cmdlet reads itself rather than as manifests (certificate files, for example).
    /// Directories are searched for them too. Nothing is claimed unless a cmdlet overrides this.
    /// </summary>
    protected virtual bool ClaimsFile(string path) => false;

    /// <summary>The files <see cref="ClaimsFile"/> took, in the order given.</summary>
    protected IReadOnlyList<string> ClaimedFiles => claimedFiles;

    private void SortPaths(IEnumerable<string> resolved)
    {
        foreach (string path in resolved)
        {
            if (System.IO.Directory.Exists(path))
            {
                List<string> files = Core.Snapshots.ManifestReader.EnumerateFiles(path).ToList();
                List<string> claimed = files.Where(ClaimsFile).ToList();
                if (claimed.Count == 0)
                {
                    pendingPaths.Add(path);
                    continue;
                }

                claimedFiles.AddRange(claimed);
                pendingPaths.AddRange(files.Where(f => !ClaimsFile(f) && Core.Snapshots.ManifestReader.IsManifestFile(f)));
            }
            else if (ClaimsFile(path))
            {
                claimedFiles.Add(path);
            }
            else
            {
                pendingPaths.Add(path);
            }
        }
    }

    /// <summary>Analyse one snapshot and write the results.</summary>
    protected abstract void ProcessSnapshot(KubeSnapshot snapshot);
}
