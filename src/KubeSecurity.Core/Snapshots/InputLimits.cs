namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// Bounds that keep hostile or broken input from exhausting memory or time.
/// Generous for real clusters (a `kubectl get -A -o yaml` dump is one large document).
/// </summary>
public sealed record InputLimits
{
    public static InputLimits Default { get; } = new();

    /// <summary>Largest file read, in bytes.</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Largest single object (not list) document, in characters of YAML or bytes of JSON. The API
    /// server (etcd) stores at most about 1.5 MiB per object; 4 MiB leaves room for verbose
    /// formatting, and anything larger cannot have come from a cluster.
    /// </summary>
    public long MaxObjectSize { get; init; } = 4L << 20;

    /// <summary>Deepest nesting of mappings and sequences.</summary>
    public int MaxDepth { get; init; } = 200;

    /// <summary>Most nodes a YAML document may expand to through aliases (stops "billion laughs").</summary>
    public int MaxAliasExpandedNodes { get; init; } = 1_000_000;

    /// <summary>
    /// Most characters of scalar text a YAML document may produce through aliases: a few large
    /// scalars aliased thousands of times blow up memory long before the node count does.
    /// 64 Mi characters is far above any real manifest's use of anchors.
    /// </summary>
    public long MaxAliasExpandedCharacters { get; init; } = 64L << 20;

    /// <summary>
    /// JSON list files at least this large keep their Secrets' and ConfigMaps' bodies in the file and
    /// read them back when an analysis needs them, so memory does not hold the dump's payload twice
    /// over. Internal so tests can make every file take this path.
    /// </summary>
    internal long DetachBodiesFromFilesOver { get; init; } = 16L << 20;

    /// <summary>Bodies smaller than this stay in memory: reading them back would cost more than they hold.</summary>
    internal int DetachBodiesOver { get; init; } = 1024;
}
