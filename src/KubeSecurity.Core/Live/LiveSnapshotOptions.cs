namespace KubeSecurity.Core.Live;

/// <summary>What to collect from a live cluster and how hard to push it.</summary>
public sealed record LiveSnapshotOptions
{
    /// <summary>Namespaces to collect namespaced kinds from (pushed down to namespaced list calls). Empty: all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = Array.Empty<string>();

    /// <summary>Kinds to collect. Empty: every known kind.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = Array.Empty<string>();

    /// <summary>Items per list page (<c>limit</c>).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Requests in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>Attempts per request on 429, 5xx, dropped connections, truncated answers, timeouts and stalls.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>How long one request may take, from sending it to the last byte of its answer (-TimeoutSec).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an answer may send nothing before the request is abandoned (and retried).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Longest wait honoured from one Retry-After header. A server that asks for more is overloaded;
    /// waiting minutes for each of 30 kinds would stall a snapshot for an hour, so longer requests are
    /// cut to this.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most time spent waiting between the attempts of one request; then the kind is recorded as missing.</summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest one request can take with all its attempts and waits.</summary>
    public TimeSpan WorstCasePerRequest => (RequestTimeout * MaxAttempts) + MaxRetryWait;

    /// <summary>First backoff delay when the server gives no Retry-After; doubled each attempt.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Times a list restarts after its continue token expired (410 Gone).</summary>
    public int MaxListRestarts { get; init; } = 3;

    /// <summary>
    /// Also read each node's kubelet configuration from /api/v1/nodes/NODE/proxy/configz (one request
    /// per node, bounded like the lists; needs get on nodes/proxy). Each answer becomes a
    /// KubeletConfiguration object named after its node.
    /// </summary>
    public bool KubeletConfigz { get; init; }
}
