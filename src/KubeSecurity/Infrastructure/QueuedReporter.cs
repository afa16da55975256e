using System.Collections.Concurrent;
using KubeSecurity.Core.Diagnostics;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// Collects the engine's reports from worker threads; the cmdlet drains them on the pipeline
/// thread, the only thread allowed to write progress, warnings, verbose text, errors and output.
/// A scoped reporter (one per cluster of a fleet) shares the queue, names its scope in warnings
/// and verbose text, and has its own progress bar.
/// </summary>
internal sealed class QueuedReporter : IOperationReporter
{
    public QueuedReporter()
        : this(new BlockingCollection<object>(), null, 0)
    {
    }

    private QueuedReporter(BlockingCollection<object> queue, string? scope, int activityId)
    {
        Queue = queue;
        Scope = scope;
        ActivityId = activityId;
    }

    public BlockingCollection<object> Queue { get; }

    /// <summary>What the reports are about (a context), or null for the cmdlet's own work.</summary>
    public string? Scope { get; }

    /// <summary>The progress bar of this scope; 0 means the cmdlet's current one.</summary>
    public int ActivityId { get; }

    public QueuedReporter ForScope(string scope, int activityId) => new(Queue, scope, activityId);

    public void Progress(OperationProgress progress) => Post(new ProgressMessage(ActivityId, Scope, progress));
    public void Warning(string message) => Post(new WarningMessage(Scope is null ? message : $"{Scope}: {message}"));
    public void Verbose(string message) => Post(new VerboseMessage(Scope is null ? message : $"{Scope}: {message}"));

    // A report racing the end of the work is dropped, never thrown on a worker thread.
    public void Post(object report)
    {
        try
        {
            Queue.TryAdd(report);
        }
        catch (InvalidOperationException)
        {
        }
    }

    internal sealed record ProgressMessage(int ActivityId, string? Scope, OperationProgress Progress);
    internal sealed record WarningMessage(string Text);
    internal sealed record VerboseMessage(string Text);
}
