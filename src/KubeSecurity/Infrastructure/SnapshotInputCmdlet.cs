using System.Management.Automation;
using KubeSecurity.Completers;
using KubeSecurity.Core.Live;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// The one way every analysis cmdlet takes its input: a snapshot from the pipeline or -Snapshot,
/// files and saved snapshots from -Path/-LiteralPath (or paths from the pipeline), or live clusters from -Context/-Kubeconfig
/// (the default, with the current context; several contexts or wildcards make a fleet, collected
/// -ThrottleLimit at a time). Derived cmdlets implement <see cref="ProcessSnapshot"/>; what they
/// write while processing a snapshot from a cluster is marked with its cluster and context.
/// </summary>
public abstract class SnapshotInputCmdlet : SnapshotSourceCmdlet
{
    protected const string SnapshotSet = "Snapshot";

    private readonly List<string> pendingPaths = new();
    private readonly List<string> claimedFiles = new();
    private KubeSnapshot? processing;

    [Parameter(Mandatory = true, ParameterSetName = SnapshotSet, ValueFromPipeline = true)]
    public KubeSnapshot? Snapshot { get; set; }

    /// <summary>The kinds the cmdlet needs from a live cluster; null means every known kind.</summary>
    protected virtual IReadOnlyList<string>? RequiredKinds => null;

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case SnapshotSet when Snapshot is not null:
                Process(Snapshot);
                break;
            case PathSet or LiteralPathSet:
                SortPaths(ResolveInputPaths());
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName is PathSet or LiteralPathSet)
        {
            if (pendingPaths.Count > 0)
            {
                Process(SnapshotAcquisition.FromFiles(this, pendingPaths, Namespace, null));
            }
            else if (claimedFiles.Count > 0)
            {
                // Only claimed files (certificates, say): analyse them with an empty snapshot.
                Process(new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, Array.Empty<KubeObject>(), origins: claimedFiles));
            }
        }
        else if (ParameterSetName == LiveSet)
        {
            // An area may read kinds the collector does not list (a deprecated ReplicationController,
            // a CRD): they are analysed when files hold them, and not asked of a live cluster.
            IReadOnlyList<string> kinds = RequiredKinds?.Where(k => Core.Snapshots.KnownKinds.TryGet(k, out _)).ToList() ?? (IReadOnlyList<string>)Array.Empty<string>();
            CollectLive(kinds, AnalyzeOnWorker, Process);
        }
    }

    private void Process(KubeSnapshot snapshot) => Process(snapshot, null);

    private void Process(KubeSnapshot snapshot, object? analysis)
    {
        processing = snapshot;
        Analysis = analysis;
        try
        {
            ProcessSnapshot(snapshot);
        }
        finally
        {
            processing = null;
            Analysis = null;
        }
    }

    /// <summary>
    /// For the clusters of a fleet: analysis a cmdlet can run on the worker that collected the
    /// snapshot, so clusters are analysed in parallel; its result is <see cref="Analysis"/> while
    /// <see cref="ProcessSnapshot"/> runs. It must not touch the pipeline. Null: none.
    /// </summary>
    private protected virtual FleetAnalysis? AnalyzeOnWorker => null;

    /// <summary>What <see cref="AnalyzeOnWorker"/> produced for the snapshot being processed, or null.</summary>
    protected object? Analysis { get; private set; }

    // Hides Cmdlet.WriteObject for every derived cmdlet so that all output written while a snapshot
    // from a cluster is processed carries that cluster and context, without each cmdlet doing it.
    protected new void WriteObject(object? sendToPipeline) => base.WriteObject(OutputOrigin.Mark(sendToPipeline, processing));

    protected new void WriteObject(object? sendToPipeline, bool enumerateCollection)
    {
        if (!enumerateCollection)
        {
            base.WriteObject(sendToPipeline, false);
            return;
        }

        System.Collections.IEnumerable? items = LanguagePrimitives.GetEnumerable(sendToPipeline);
        if (OutputOrigin.IsFromCluster(processing))
        {
            if (items is null)
            {
                WriteObject(sendToPipeline);
                return;
            }

            foreach (object? item in items)
            {
                WriteObject(item);
            }

            return;
        }

        // PowerShell wraps a whole collection written at once before the next command sees any of
        // it: a large audit's hundred thousand findings would be wrapped side by side. In chunks, the
        // next command takes each chunk before the following one is wrapped.
        if (items is not System.Collections.ICollection { Count: > OutputChunk })
        {
            base.WriteObject(sendToPipeline, true);
            return;
        }

        var chunk = new List<object?>(OutputChunk);
        foreach (object? item in items)
        {
            chunk.Add(item);
            if (chunk.Count == OutputChunk)
            {
                base.WriteObject(chunk, true);
                chunk = new List<object?>(OutputChunk);
            }
        }

        base.WriteObject(chunk, true);
    }

    private const int OutputChunk = 4096;

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
