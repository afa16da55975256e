using System.Globalization;
using System.Net;
using System.Text.Json;
using KubeSecurity.Core.Diagnostics;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Live;

/// <summary>
/// Builds a snapshot from a live API server: every requested kind listed concurrently (bounded),
/// each list paginated with limit/continue; 429 and 5xx retried with backoff honouring Retry-After;
/// an expired continue token (410) restarts that list; 403/404 on a kind records it as missing and
/// goes on; 401 or an unreachable server stops everything with a message that names the server.
/// </summary>
public sealed class LiveSnapshotCollector
{
    private const string Activity = "Collecting cluster snapshot";
    private readonly KubeConnection connection;
    private readonly LiveSnapshotOptions options;
    private readonly IOperationReporter reporter;

    public LiveSnapshotCollector(KubeConnection connection, LiveSnapshotOptions options, IOperationReporter? reporter = null)
    {
        this.connection = connection;
        this.options = options;
        this.reporter = reporter ?? NullReporter.Instance;
    }

    private sealed record ListTarget(KnownKind Kind, string? Namespace, bool SingleObject);

    private sealed class ListOutcome
    {
        public List<KubeObject> Objects { get; } = new();
        public MissingKind? Missing { get; set; }
    }

    public async Task<KubeSnapshot> CollectAsync(CancellationToken cancellationToken)
    {
        List<KnownKind> kinds = ResolveKinds();
        List<ListTarget> targets = PlanTargets(kinds);
        DateTimeOffset started = DateTimeOffset.UtcNow;

        reporter.Verbose($"Connecting to {connection.Server} (context '{connection.Context ?? "(none)"}').");
        await PreflightAsync(cancellationToken).ConfigureAwait(false);
        reporter.Verbose($"Listing {kinds.Count} kind(s) in {targets.Count} list call(s), {options.MaxConcurrency} at a time, {options.PageSize} items per page.");

        using var gate = new SemaphoreSlim(options.MaxConcurrency);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int done = 0;
        var outcomes = new ListOutcome[targets.Count];
        Task[] tasks = targets.Select((target, i) => Task.Run(async () =>
        {
            outcomes[i] = await ListAsync(target, gate, linked.Token).ConfigureAwait(false);
            int finished = Interlocked.Increment(ref done);
            reporter.Progress(new OperationProgress(Activity, $"{target.Kind.Kind}{(target.Namespace is null ? string.Empty : " in " + target.Namespace)}: {outcomes[i].Objects.Count} object(s) ({finished}/{targets.Count} lists)", finished * 100 / targets.Count));
        }, linked.Token)).ToArray();

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (KubeApiException)
        {
            // One fatal failure (401, unreachable) makes the rest pointless: stop them promptly,
            // and let them finish before the gate they share is disposed.
            await linked.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
            throw;
        }

        reporter.Progress(new OperationProgress(Activity, "Done", 100, Completed: true));

        var objects = new List<KubeObject>();
        var missing = new Dictionary<string, MissingKind>(StringComparer.Ordinal);
        foreach (ListOutcome outcome in outcomes)
        {
            objects.AddRange(outcome.Objects);
            if (outcome.Missing is MissingKind kindMissing)
            {
                missing.TryAdd(kindMissing.Kind, kindMissing);
            }
        }

        reporter.Verbose($"Collected {objects.Count} object(s) with {connection.RequestCount} request(s) in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s.");
        return SnapshotAssembler.Build(SnapshotSource.Live, connection.Cluster, connection.Context, connection.Server, started,
            objects, missing.Values.ToList(), options.Namespaces, redacted: false, new[] { connection.Server }, out _);
    }

    private List<KnownKind> ResolveKinds()
    {
        if (options.Kinds.Count == 0)
        {
            return KnownKinds.All.ToList();
        }

        var kinds = new List<KnownKind>();
        foreach (string name in options.Kinds)
        {
            if (!KnownKinds.TryGet(name, out KnownKind kind))
            {
                throw new ArgumentException($"'{name}' is not a kind a snapshot collects. Known kinds: {string.Join(", ", KnownKinds.All.Select(k => k.Kind))}.", nameof(options));
            }

            if (!kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        return kinds;
    }

    private List<ListTarget> PlanTargets(List<KnownKind> kinds)
    {
        var targets = new List<ListTarget>();
        foreach (KnownKind kind in kinds)
        {
            if (options.Namespaces.Count == 0)
            {
                targets.Add(new ListTarget(kind, null, false));
            }
            else if (kind.Namespaced)
            {
                targets.AddRange(options.Namespaces.Select(ns => new ListTarget(kind, ns, false)));
            }
            else if (kind.Kind == "Namespace")
            {
                // Scoped to namespaces: fetch just those Namespace objects.
                targets.AddRange(options.Namespaces.Select(ns => new ListTarget(kind, ns, true)));
            }
            else
            {
                targets.Add(new ListTarget(kind, null, false));
            }
        }

        return targets;
    }

    /// <summary>One cheap request first, so bad credentials or a dead server fail once, clearly, not 25 times.</summary>
    private async Task PreflightAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendWithRetryAsync("/api", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw await UnauthorizedAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<KubeApiException> UnauthorizedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string message = await KubeConnection.ReadStatusMessageAsync(response, cancellationToken).ConfigureAwait(false);
        return new KubeApiException(ApiFailure.Unauthorized,
            $"The API server at {connection.Server} rejected the credentials of context '{connection.Context ?? "(none)"}' (401 Unauthorized: {message}). Refresh the token or certificate in the kubeconfig.",
            401, connection.Server);
    }

    private async Task<ListOutcome> ListAsync(ListTarget target, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var outcome = new ListOutcome();
        string basePath = target.SingleObject ? $"{target.Kind.ListPath()}/{Uri.EscapeDataString(target.Namespace!)}" : target.Kind.ListPath(target.Namespace);
        string? continueToken = null;
        int restarts = 0;
        while (true)
        {
            string path = target.SingleObject
                ? basePath
                : $"{basePath}?limit={options.PageSize.ToString(CultureInfo.InvariantCulture)}{(continueToken is null ? string.Empty : "&continue=" + Uri.EscapeDataString(continueToken))}";

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            JsonDocument? page;
            try
            {
                using HttpResponseMessage response = await SendWithRetryAsync(path, cancellationToken).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status == 410 && continueToken is not null && restarts < options.MaxListRestarts)
                {
                    restarts++;
                    reporter.Verbose($"{target.Kind.Kind}: the continue token expired (410 Gone); restarting the list ({restarts}/{options.MaxListRestarts}).");
                    outcome.Objects.Clear();
                    continueToken = null;
                    continue;
                }

                if (status == 401)
                {
                    throw await UnauthorizedAsync(response, cancellationToken).ConfigureAwait(false);
                }

                if (status == 404 && target.SingleObject)
                {
                    reporter.Warning($"Namespace '{target.Namespace}' does not exist on {connection.Server}.");
                    return outcome;
                }

                if (!response.IsSuccessStatusCode)
                {
                    string message = await KubeConnection.ReadStatusMessageAsync(response, cancellationToken).ConfigureAwait(false);
                    string reason = status switch
                    {
                        403 => $"forbidden: {message}",
                        404 => "not served by this API server",
                        _ => $"HTTP {status}: {message}",
                    };
                    outcome.Missing = new MissingKind(target.Kind.Kind, reason, status);
                    reporter.Warning($"{target.Kind.Kind} could not be collected{(target.Namespace is null ? string.Empty : $" in namespace '{target.Namespace}'")} ({reason}); checks that need {target.Kind.Kind} objects will say so.");
                    return outcome;
                }

                Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    page = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
                }
                catch (JsonException ex)
                {
                    throw new KubeApiException(ApiFailure.BadResponse, $"The API server at {connection.Server} sent malformed JSON for GET {path}: {ex.Message}", status, path, ex);
                }
            }
            finally
            {
                gate.Release();
            }

            // The page's document stays alive: the objects are views into it.
            JsonElement root = page.RootElement;
            if (target.SingleObject)
            {
                AddObject(outcome, root, target, path);
                return outcome;
            }

            if (root.TryGetProperty("items", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in items.EnumerateArray())
                {
                    AddObject(outcome, item, target, path);
                }
            }

            continueToken = root.TryGetProperty("metadata", out JsonElement metadata) && metadata.TryGetProperty("continue", out JsonElement next) && next.ValueKind == JsonValueKind.String
                ? next.GetString()
                : null;
            if (string.IsNullOrEmpty(continueToken))
            {
                return outcome;
            }
        }
    }

    private void AddObject(ListOutcome outcome, JsonElement item, ListTarget target, string path)
    {
        if (KubeObject.TryCreate(item, target.Kind.ListPath(target.Namespace), target.Kind.ApiVersion, target.Kind.Kind, out KubeObject? created, out string? problem))
        {
            outcome.Objects.Add(created!);
        }
        else
        {
            reporter.Warning($"GET {path} returned an item that is not a Kubernetes object ({problem}); it was skipped.");
        }
    }

    /// <summary>Retries 429, 5xx and dropped connections, honouring Retry-After; returns the final response.</summary>
    private async Task<HttpResponseMessage> SendWithRetryAsync(string path, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            TimeSpan delay;
            try
            {
                response = await connection.GetAsync(path, cancellationToken).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                bool retryable = status is 429 or 500 or 502 or 503 or 504;
                if (!retryable || attempt >= options.MaxAttempts)
                {
                    return response;
                }

                delay = RetryDelay(response, attempt);
                reporter.Verbose($"GET {path}: {status}; retrying in {delay.TotalSeconds:0.##} s (attempt {attempt + 1} of {options.MaxAttempts}).");
                response.Dispose();
            }
            catch (KubeApiException ex) when (ex.Failure == ApiFailure.Unreachable && attempt < Math.Min(2, options.MaxAttempts) && IsDroppedConnection(ex))
            {
                response?.Dispose();
                delay = options.InitialRetryDelay;
                reporter.Verbose($"GET {path}: connection dropped ({ex.InnerException?.Message}); retrying.");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    // A refused connection will be refused again; a reset mid-flight is worth one more try.
    private static bool IsDroppedConnection(KubeApiException ex) =>
        ex.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError };

    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        TimeSpan? advised = response.Headers.RetryAfter switch
        {
            { Delta: TimeSpan delta } => delta,
            { Date: DateTimeOffset date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
        if (advised is TimeSpan fromServer)
        {
            return fromServer < TimeSpan.Zero ? TimeSpan.Zero : fromServer > options.MaxRetryDelay ? options.MaxRetryDelay : fromServer;
        }

        double backoff = options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return TimeSpan.FromMilliseconds(Math.Min(backoff, options.MaxRetryDelay.TotalMilliseconds));
    }
}
