namespace KubeSecurity.Core.Live;

/// <summary>What went wrong talking to the API server, in terms a cmdlet maps to an ErrorCategory.</summary>
public enum ApiFailure
{
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    TooManyRequests,
    ServerError,
    Unreachable,
    TlsFailure,
    Timeout,
    BadResponse,
    Configuration,
}

/// <summary>
/// A failed API call or connection, carrying the server's own <c>Status.message</c> when it sent one.
/// Messages name the server and context so users know which cluster refused them.
/// </summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(ApiFailure failure, string message, int? statusCode = null, string? url = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        StatusCode = statusCode;
        Url = url;
    }

    public KubeApiException() { }
    public KubeApiException(string message) : base(message) { }
    public KubeApiException(string message, Exception inner) : base(message, inner) { }

    public ApiFailure Failure { get; }
    public int? StatusCode { get; }
    public string? Url { get; }

    public static ApiFailure FromStatus(int status) => status switch
    {
        401 => ApiFailure.Unauthorized,
        403 => ApiFailure.Forbidden,
        404 => ApiFailure.NotFound,
        409 => ApiFailure.Conflict,
        410 => ApiFailure.Gone,
        429 => ApiFailure.TooManyRequests,
        >= 500 => ApiFailure.ServerError,
        _ => ApiFailure.BadResponse,
    };
}
