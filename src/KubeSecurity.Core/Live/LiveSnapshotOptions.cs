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

    /// <summary>Attempts per request on 429, 5xx and dropped connections.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Longest wait honoured from a Retry-After header.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First backoff delay when the server gives no Retry-After; doubled each attempt.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Times a list restarts after its continue token expired (410 Gone).</summary>
    public int MaxListRestarts { get; init; } = 3;
}
