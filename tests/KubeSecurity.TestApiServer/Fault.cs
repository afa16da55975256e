namespace KubeSecurity.TestApiServer;

/// <summary>
/// A fault injected into matching requests: an error status (with optional Retry-After) and/or
/// latency, a given number of times or for ever.
/// </summary>
public sealed class Fault
{
    private int remaining;

    public Fault(int status, string? resource = null, int times = -1)
    {
        Status = status;
        Resource = resource;
        remaining = times;
    }

    /// <summary>The plural resource name to match (pods, secrets); null matches every request.</summary>
    public string? Resource { get; init; }

    /// <summary>The status to answer with; 0 means pass through (latency only).</summary>
    public int Status { get; }

    public int? RetryAfterSeconds { get; init; }

    /// <summary>Match only list requests that carry a continue token (for 410 Gone).</summary>
    public bool OnlyWithContinue { get; init; }

    public TimeSpan Latency { get; init; }

    public string? Message { get; init; }

    private int hits;

    /// <summary>How many times it fired.</summary>
    public int Hits => Volatile.Read(ref hits);

    internal bool TryConsume(string? resource, bool hasContinue)
    {
        if ((Resource is not null && !string.Equals(Resource, resource, StringComparison.Ordinal)) || (OnlyWithContinue && !hasContinue))
        {
            return false;
        }

        if (remaining == 0)
        {
            return false;
        }

        if (remaining > 0 && Interlocked.Decrement(ref remaining) < 0)
        {
            return false;
        }

        Interlocked.Increment(ref hits);
        return true;
    }
}
