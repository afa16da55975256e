using System.Management.Automation;
using KubeSecurity.Completers;
using KubeSecurity.Core.Live;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// The input parameters of every cmdlet that reads a cluster's objects: files and saved snapshots
/// from -Path/-LiteralPath (<see cref="PathInputCmdlet"/>), or live clusters from
/// -Context/-Kubeconfig with the collection settings. Get-KubeSnapshot and every analysis cmdlet
/// (<see cref="SnapshotInputCmdlet"/>) declare them here once, so they cannot drift apart.
/// </summary>
public abstract class SnapshotSourceCmdlet : PathInputCmdlet
{
    protected const string LiveSet = "Live";

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

    /// <summary>How many clusters of a fleet are collected at the same time.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>Items requested per list page when reading a live cluster.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(1, 10000)]
    public int PageSize { get; set; } = 500;

    /// <summary>How many list requests run at the same time against one API server.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(1, 64)]
    public int RequestConcurrency { get; set; } = 8;

    /// <summary>Seconds one request to the API server may take, answer included; a stalled answer is abandoned sooner. Retried, then the kind is recorded as missing.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 60;

    /// <summary>Namespaces to look at; pushed down to the API when live.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    /// <summary>The collection settings the parameters ask for, for these kinds (empty: every known kind).</summary>
    private protected LiveSnapshotOptions LiveOptions(IReadOnlyList<string> kinds) => new()
    {
        Namespaces = Namespace ?? Array.Empty<string>(),
        Kinds = kinds,
        PageSize = PageSize,
        MaxConcurrency = RequestConcurrency,
        RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
        StallTimeout = TimeSpan.FromSeconds(Math.Min(15, TimeoutSec)),
        KubeletConfigz = ReadsKubeletConfigz,
    };

    /// <summary>Whether a live collection also reads every node's kubelet /configz (Test-KubeKubelet).</summary>
    private protected virtual bool ReadsKubeletConfigz => false;

    /// <summary>Collects the clusters the live parameters name (one context, or a fleet -ThrottleLimit at a time).</summary>
    private protected void CollectLive(IReadOnlyList<string> kinds, FleetAnalysis? analyze, Action<KubeSnapshot, object?> onSnapshot)
    {
        // A collection waits on the API server: a spare core warms the analyses up meanwhile.
        Core.Audit.AuditWarmUp.Start();
        SnapshotAcquisition.FromContexts(this, Kubeconfig, Context, InCluster, SkipTlsVerify, LiveOptions(kinds), ThrottleLimit, analyze, onSnapshot);
    }
}
