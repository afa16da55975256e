namespace KubeSecurity.TestApiServer;

/// <summary>What goes wrong with the body of a successful answer.</summary>
public enum BodyFault
{
    None,

    /// <summary>Status and headers are sent, then part of the body, then nothing more until the client gives up.</summary>
    StallAfterHeaders,

    /// <summary>Part of the body is sent, then the connection is reset.</summary>
    ResetMidBody,

    /// <summary>Part of the body is sent and the response ends cleanly: truncated JSON.</summary>
    Truncated,
}

/// <summary>
/// A fault injected into matching requests: an error status (with optional Retry-After), latency,
/// or a broken body on an otherwise successful answer, a given number of times or for ever.
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

    /// <summary>The status to answer with; 0 means pass through (latency or a body fault only).</summary>
    public int Status { get; }

    /// <summary>With status 0: how the body of the real answer is broken.</summary>
    public BodyFault Body { get; init; }

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
