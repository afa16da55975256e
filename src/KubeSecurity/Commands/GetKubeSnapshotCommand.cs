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
public sealed class GetKubeSnapshotCommand : KubeCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string LiveSet = "Live";
    private readonly List<string> paths = new();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    [ArgumentCompleter(typeof(ContextCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Context { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter InCluster { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter SkipTlsVerify { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(KindCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Kind { get; set; }

    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(1, 10000)]
    public int PageSize { get; set; } = 500;

    /// <summary>How many list requests run at the same time against one API server.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(1, 64)]
    public int RequestConcurrency { get; set; } = 8;

    /// <summary>How many clusters of a fleet are collected at the same time.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

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
        if (ParameterSetName == PathSet)
        {
            paths.AddRange(SnapshotAcquisition.ResolvePaths(this, Path!, literal: false));
        }
        else if (ParameterSetName == LiteralPathSet)
        {
            paths.AddRange(SnapshotAcquisition.ResolvePaths(this, LiteralPath!, literal: true));
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == LiveSet)
        {
            var options = new LiveSnapshotOptions
            {
                Namespaces = Namespace ?? Array.Empty<string>(),
                Kinds = Kind ?? Array.Empty<string>(),
                PageSize = PageSize,
                MaxConcurrency = RequestConcurrency,
            };
            SnapshotAcquisition.FromContexts(this, Kubeconfig, Context, InCluster, SkipTlsVerify, options, ThrottleLimit, null, (snapshot, _) => WriteObject(snapshot));
        }
        else if (paths.Count > 0)
        {
            WriteObject(SnapshotAcquisition.FromFiles(this, paths, Namespace, Kind));
        }
    }
}
