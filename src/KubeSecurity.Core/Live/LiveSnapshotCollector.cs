using System.Globalization;
using System.Net;
using System.Text.Json;
using KubeSecurity.Core.Diagnostics;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Live;

/// <summary>
/// Builds a snapshot from a live API server: every requested kind listed concurrently (bounded),
/// each list paginated with limit/continue. Every request is bounded in time (a total timeout and a
/// stall watchdog on the body); 429, 5xx, dropped connections, truncated answers, timeouts and
/// stalls are retried with backoff (Retry-After honoured up to a cap) within a wait budget, after
/// which the kind is recorded as missing with the reason. An expired continue token (410) restarts
/// that list; 403/404 on a kind records it as missing and goes on; 401 or an unreachable server
/// stops everything with a message that names the server.
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

        reporter.Verbose($"Connecting to {connection.Server} (context '{connection.Context ?? "(none)"}'). Each request may take {options.RequestTimeout.TotalSeconds:0} s (-TimeoutSec) and is abandoned after {options.StallTimeout.TotalSeconds:0} s without data; failures are retried up to {options.MaxAttempts} times with at most {options.MaxRetryWait.TotalSeconds:0} s of waiting (Retry-After honoured up to {options.MaxRetryDelay.TotalSeconds:0} s), so one list page takes at most {options.WorstCasePerRequest.TotalSeconds:0} s.");
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

        if (options.KubeletConfigz)
        {
            (List<KubeObject> configurations, MissingKind? configzMissing) = await KubeletConfigzAsync(objects.Where(o => o.Kind == "Node" && o.ApiGroup.Length == 0).ToList(), gate, linked.Token).ConfigureAwait(false);
            objects.AddRange(configurations);
            if (configzMissing is not null)
            {
                missing.TryAdd(configzMissing.Kind, configzMissing);
            }
        }

        reporter.Progress(new OperationProgress(Activity, "Done", 100, Completed: true));

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

    /// <summary>
    /// Each node's kubelet configuration, through the API server's node proxy: one bounded request per
    /// node, as many at a time as lists. A 403 (no get on nodes/proxy) stops asking and records the
    /// source as missing; a node whose kubelet does not answer is named in a warning and left out.
    /// </summary>
    private async Task<(List<KubeObject> Configurations, MissingKind? Missing)> KubeletConfigzAsync(List<KubeObject> nodes, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var found = new List<KubeObject>();
        MissingKind? missing = null;
        int forbidden = 0;
        var tasks = nodes.Select(node => Task.Run(async () =>
        {
            if (Volatile.Read(ref forbidden) > 0)
            {
                return;
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            Answer answer;
            try
            {
                // Asked again once a slot is free: a 403 meanwhile means the others would be refused too.
                if (Volatile.Read(ref forbidden) > 0)
                {
                    return;
                }

                answer = await FetchAsync($"/api/v1/nodes/{Uri.EscapeDataString(node.Name)}/proxy/configz", cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }

            using JsonDocument? document = answer.Document;
            if (answer.Status == 403)
            {
                if (Interlocked.Increment(ref forbidden) == 1)
                {
                    missing = new MissingKind("KubeletConfiguration", $"forbidden: reading /configz needs get on nodes/proxy ({answer.Message})", 403);
                    reporter.Warning("The kubelet configurations could not be read (403: reading /configz needs get on nodes/proxy); kubelet checks use what else the input holds.");
                }

                return;
            }

            if (document is null || document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGet("kubeletconfig"u8, out JsonElement configuration) || configuration.ValueKind != JsonValueKind.Object)
            {
                reporter.Warning($"Node {node.Name}: its kubelet configuration could not be read ({(answer.GaveUp ? answer.Message : $"HTTP {answer.Status}: {answer.Message ?? "no kubeletconfig in the answer"}")}); that kubelet is not checked.");
                return;
            }

            var node_ = new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "kubelet.config.k8s.io/v1beta1",
                ["kind"] = "KubeletConfiguration",
                ["metadata"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["name"] = node.Name,
                    ["annotations"] = new System.Text.Json.Nodes.JsonObject { ["kubesecurity.io/source"] = "configz" },
                },
            };
            foreach (JsonProperty field in configuration.EnumerateObject())
            {
                if (field.Name is not ("apiVersion" or "kind" or "metadata"))
                {
                    node_[field.Name] = System.Text.Json.Nodes.JsonNode.Parse(field.Value.GetRawText());
                }
            }

            KubeObject item = KubeObject.Create(JsonDocument.Parse(node_.ToJsonString()).RootElement, connection.Server);
            lock (found)
            {
                found.Add(item);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        reporter.Verbose($"Read the kubelet configuration of {found.Count} of {nodes.Count} node(s) through /configz.");
        return (found.OrderBy(f => f.Name, StringComparer.Ordinal).ToList(), missing);
    }

    /// <summary>One cheap request first, so bad credentials or a dead server fail once, clearly, not 25 times.</summary>
    private async Task PreflightAsync(CancellationToken cancellationToken)
    {
        Answer answer = await FetchAsync("/api", cancellationToken).ConfigureAwait(false);
        answer.Document?.Dispose();
        if (answer.Status == 401)
        {
            throw Unauthorized(answer.Message);
        }

        if (answer.GaveUp)
        {
            throw new KubeApiException(ApiFailure.Timeout, $"The API server at {connection.Server} did not answer GET /api: {answer.Message}.", url: connection.Server);
        }
    }

    private KubeApiException Unauthorized(string? message) =>
        new(ApiFailure.Unauthorized,
            $"The API server at {connection.Server} rejected the credentials of context '{connection.Context ?? "(none)"}' (401 Unauthorized: {message}). Refresh the token or certificate in the kubeconfig.",
            401, connection.Server);

    private async Task<ListOutcome> ListAsync(ListTarget target, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var outcome = new ListOutcome();
        string basePath = target.SingleObject ? $"{target.Kind.ListPath()}/{Uri.EscapeDataString(target.Namespace!)}" : target.Kind.ListPath(target.Namespace);
        string where = target.Namespace is null ? string.Empty : $" in namespace '{target.Namespace}'";
        string? continueToken = null;
        int restarts = 0;
        while (true)
        {
            string path = target.SingleObject
                ? basePath
                : $"{basePath}?limit={options.PageSize.ToString(CultureInfo.InvariantCulture)}{(continueToken is null ? string.Empty : "&continue=" + Uri.EscapeDataString(continueToken))}";

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            Answer answer;
            try
            {
                answer = await FetchAsync(path, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }

            int status = answer.Status;
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
                throw Unauthorized(answer.Message);
            }

            if (status == 404 && target.SingleObject)
            {
                reporter.Warning($"Namespace '{target.Namespace}' does not exist on {connection.Server}.");
                return outcome;
            }

            if (status == 404 && target.Kind.Optional && answer.Document is null)
            {
                reporter.Verbose($"{target.Kind.Kind} ({target.Kind.ApiVersion}) is not served by {connection.Server}: there are none to collect.");
                return outcome;
            }

            if (answer.Document is not JsonDocument page)
            {
                string reason = answer.GaveUp
                    ? answer.Message!
                    : status switch
                    {
                        403 => $"forbidden: {answer.Message}",
                        404 => "not served by this API server",
                        _ => $"HTTP {status}: {answer.Message}",
                    };
                // What was read of an interrupted list is dropped: a partial kind is recorded as missing, never passed off as complete.
                outcome.Objects.Clear();
                outcome.Missing = new MissingKind(target.Kind.Kind, reason, answer.GaveUp ? null : status);
                reporter.Warning($"{target.Kind.Kind} could not be collected{where} ({reason}); checks that need {target.Kind.Kind} objects will say so.");
                return outcome;
            }

            // The page's document stays alive: the objects are views into it.
            JsonElement root = page.RootElement;
            if (target.SingleObject)
            {
                AddObject(outcome, root, target, path);
                return outcome;
            }

            if (root.TryGet("items", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in items.EnumerateArray())
                {
                    AddObject(outcome, item, target, path);
                }
            }

            continueToken = root.TryGet("metadata", out JsonElement metadata) && metadata.TryGet("continue", out JsonElement next) && next.ValueKind == JsonValueKind.String
                ? next.AsString()
                : null;
            if (string.IsNullOrEmpty(continueToken))
            {
                return outcome;
            }
        }
    }

    /// <summary>
    /// The final answer to one GET: a parsed body (2xx), an error status with its message, or, when
    /// transient failures outlasted the attempts or the wait budget, <see cref="GaveUp"/> with the reason.
    /// </summary>
    private sealed record Answer(int Status, JsonDocument? Document, string? Message)
    {
        public bool GaveUp => Status == 0;
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

    /// <summary>
    /// Sends one GET and reads its whole answer, each attempt bounded by the request timeout and the
    /// stall watchdog; retries 429, 5xx, dropped connections, truncated JSON, timeouts and stalls.
    /// </summary>
    private async Task<Answer> FetchAsync(string path, CancellationToken cancellationToken)
    {
        TimeSpan waited = TimeSpan.Zero;
        for (int attempt = 1; ; attempt++)
        {
            string problem;
            TimeSpan? advised = null;
            using (var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptToken.CancelAfter(options.RequestTimeout);
                try
                {
                    using HttpResponseMessage response = await connection.GetAsync(path, attemptToken.Token).ConfigureAwait(false);
                    int status = (int)response.StatusCode;
                    if (status is 429 or 500 or 502 or 503 or 504)
                    {
                        string message = await KubeConnection.ReadStatusMessageAsync(response, attemptToken.Token).ConfigureAwait(false);
                        if (attempt >= options.MaxAttempts)
                        {
                            return new Answer(status, null, message);
                        }

                        problem = $"HTTP {status}";
                        advised = RetryAfter(response);
                        if (advised is TimeSpan asked && asked > options.MaxRetryWait)
                        {
                            // The server says it will not be ready within the wait budget: asking again sooner only adds load.
                            return new Answer(status, null, $"{message} (the server asked to retry after {asked.TotalSeconds:0} s, longer than the {options.MaxRetryWait.TotalSeconds:0} s a collection waits for one request)");
                        }
                    }
                    else if (!response.IsSuccessStatusCode)
                    {
                        return new Answer(status, null, await KubeConnection.ReadStatusMessageAsync(response, attemptToken.Token).ConfigureAwait(false));
                    }
                    else
                    {
                        await using var body = new StallGuardStream(await response.Content.ReadAsStreamAsync(attemptToken.Token).ConfigureAwait(false), options.StallTimeout);
                        return new Answer(status, await JsonDocument.ParseAsync(body, default, attemptToken.Token).ConfigureAwait(false), null);
                    }
                }
                catch (ResponseStalledException ex)
                {
                    problem = ex.Message;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    problem = $"no complete answer within {options.RequestTimeout.TotalSeconds:0} s";
                }
                catch (KubeApiException ex) when (ex.Failure == ApiFailure.Timeout)
                {
                    problem = $"no answer within {options.RequestTimeout.TotalSeconds:0} s";
                }
                catch (KubeApiException ex) when (ex.Failure == ApiFailure.Unreachable && IsDroppedConnection(ex))
                {
                    problem = $"the connection dropped ({ex.InnerException?.Message})";
                }
                catch (JsonException ex)
                {
                    problem = $"the answer was not complete JSON ({FirstSentence(ex.Message)})";
                }
                catch (IOException ex)
                {
                    problem = $"the connection dropped while the answer was read ({ex.Message})";
                }
                catch (HttpRequestException ex)
                {
                    problem = $"the connection dropped while the answer was read ({ex.Message})";
                }
            }

            if (attempt >= options.MaxAttempts)
            {
                return new Answer(0, null, $"{problem}; gave up after {attempt} attempt(s)");
            }

            TimeSpan delay = advised is TimeSpan fromServer ? Min(fromServer < TimeSpan.Zero ? TimeSpan.Zero : fromServer, options.MaxRetryDelay) : Backoff(attempt);
            if (waited + delay > options.MaxRetryWait)
            {
                return new Answer(0, null, $"{problem}; gave up after {attempt} attempt(s) and {waited.TotalSeconds:0} s of waiting");
            }

            waited += delay;
            reporter.Verbose($"GET {path}: {problem}; retrying in {delay.TotalSeconds:0.##} s (attempt {attempt + 1} of {options.MaxAttempts}).");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }

    // A refused connection will be refused again; a reset mid-flight is worth one more try.
    private static bool IsDroppedConnection(KubeApiException ex)
    {
        if (ex.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError })
        {
            return true;
        }

        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted or System.Net.Sockets.SocketError.Shutdown })
            {
                return true;
            }
        }

        return false;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: TimeSpan delta } => delta,
        { Date: DateTimeOffset date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    private TimeSpan Backoff(int attempt)
    {
        double backoff = options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return TimeSpan.FromMilliseconds(Math.Min(backoff, options.MaxRetryDelay.TotalMilliseconds));
    }
}
