using System.Diagnostics;
using KubeSecurity.Core.Diagnostics;
using KubeSecurity.Core.Live;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Core.Tests;

/// <summary>
/// The fault matrix of live collection against the test API server: a body that stalls after the
/// headers, a connection reset mid-body, a truncated body, a request that never answers and a
/// Retry-After of an hour. A fault that passes is retried and leaves nothing missing; a fault that
/// persists leaves only its kind missing, with the reason, within bounded time; nothing hangs and
/// nothing stops the rest of the snapshot.
/// </summary>
public class LiveFaultTests
{
    private sealed class RecordingReporter : IOperationReporter
    {
        public List<string> Messages { get; } = new();
        public void Progress(OperationProgress progress) { }
        public void Warning(string message) { lock (Messages) { Messages.Add(message); } }
        public void Verbose(string message) { lock (Messages) { Messages.Add(message); } }
    }

    // Short enough for tests; the defaults (60 s, 15 s, 30 s) scale the same logic.
    private static LiveSnapshotOptions Options(params string[] kinds) => new()
    {
        Kinds = kinds,
        RequestTimeout = TimeSpan.FromSeconds(4),
        StallTimeout = TimeSpan.FromSeconds(1),
        InitialRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryWait = TimeSpan.FromSeconds(5),
    };

    private static async Task<(KubeSnapshot Snapshot, TimeSpan Took, RecordingReporter Reporter)> CollectAsync(BodyFault body, int times, LiveSnapshotOptions? options = null, Fault? fault = null)
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            server.AddFault(fault ?? new Fault(0, "pods", times) { Body = body });
            using KubeConnection connection = KubeConnection.Open(new LiveConnectionOptions { KubeconfigPath = kubeconfig });
            var reporter = new RecordingReporter();
            var watch = Stopwatch.StartNew();
            KubeSnapshot snapshot = await new LiveSnapshotCollector(connection, options ?? Options("Pod", "Namespace", "Secret"), reporter).CollectAsync(CancellationToken.None);
            return (snapshot, watch.Elapsed, reporter);
        }
    }

    [Theory]
    [InlineData(BodyFault.StallAfterHeaders, "stopped arriving")]
    [InlineData(BodyFault.ResetMidBody, "connection dropped")]
    [InlineData(BodyFault.Truncated, "not complete JSON")]
    public async Task A_broken_answer_once_is_retried_and_nothing_is_missing(BodyFault body, string logged)
    {
        (KubeSnapshot snapshot, _, RecordingReporter reporter) = await CollectAsync(body, times: 1);

        Assert.Empty(snapshot.MissingKinds);
        Assert.NotEmpty(snapshot.OfKind("Pod"));
        Assert.Contains(reporter.Messages, m => m.Contains("retrying", StringComparison.Ordinal) && m.Contains(logged, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(BodyFault.StallAfterHeaders, "stopped arriving")]
    [InlineData(BodyFault.ResetMidBody, "connection dropped")]
    [InlineData(BodyFault.Truncated, "not complete JSON")]
    public async Task A_broken_answer_that_persists_leaves_only_its_kind_missing_with_the_reason(BodyFault body, string reason)
    {
        (KubeSnapshot snapshot, TimeSpan took, _) = await CollectAsync(body, times: -1);

        MissingKind missing = Assert.Single(snapshot.MissingKinds);
        Assert.Equal("Pod", missing.Kind);
        Assert.Contains(reason, missing.Reason, StringComparison.Ordinal);
        Assert.Contains("gave up after", missing.Reason, StringComparison.Ordinal);
        Assert.Empty(snapshot.OfKind("Pod"));
        Assert.NotEmpty(snapshot.OfKind("Namespace"));
        Assert.NotEmpty(snapshot.OfKind("Secret"));
        // 4 attempts of at most 4 s plus 5 s of waiting; generous, to catch a hang, not to time.
        Assert.True(took < TimeSpan.FromSeconds(40), $"took {took}");
    }

    [Fact]
    public async Task A_request_that_never_answers_is_abandoned_at_the_request_timeout()
    {
        (KubeSnapshot snapshot, TimeSpan took, _) = await CollectAsync(BodyFault.None, -1,
            Options("Pod", "Namespace") with { RequestTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 2 },
            new Fault(0, "pods") { Latency = TimeSpan.FromMinutes(5) });

        MissingKind missing = Assert.Single(snapshot.MissingKinds);
        Assert.Equal("Pod", missing.Kind);
        Assert.Contains("within 1 s", missing.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(snapshot.OfKind("Namespace"));
        Assert.True(took < TimeSpan.FromSeconds(30), $"took {took}");
    }

    [Fact]
    public async Task A_retry_after_of_an_hour_is_not_waited_for_and_the_kind_says_why()
    {
        (KubeSnapshot snapshot, TimeSpan took, _) = await CollectAsync(BodyFault.None, -1, null, new Fault(429, "secrets") { RetryAfterSeconds = 3600 });

        MissingKind missing = Assert.Single(snapshot.MissingKinds);
        Assert.Equal(("Secret", 429), (missing.Kind, missing.StatusCode));
        Assert.Contains("3600 s", missing.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(snapshot.OfKind("Pod"));
        Assert.True(took < TimeSpan.FromSeconds(20), $"took {took}");
    }

    [Fact]
    public async Task The_verbose_stream_states_the_time_bounds()
    {
        (_, _, RecordingReporter reporter) = await CollectAsync(BodyFault.None, 0);

        Assert.Contains(reporter.Messages, m => m.Contains("Each request may take 4 s (-TimeoutSec)", StringComparison.Ordinal) && m.Contains("one list page takes at most 21 s", StringComparison.Ordinal));
    }
}
