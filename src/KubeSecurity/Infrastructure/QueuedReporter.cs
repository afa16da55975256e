using System.Collections.Concurrent;
using KubeSecurity.Core.Diagnostics;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// Collects the engine's reports from worker threads; the cmdlet drains them on the pipeline
/// thread, the only thread allowed to write progress, warnings and verbose text.
/// </summary>
internal sealed class QueuedReporter : IOperationReporter
{
    public BlockingCollection<object> Queue { get; } = new();

    public void Progress(OperationProgress progress) => Add(progress);
    public void Warning(string message) => Add(new WarningMessage(message));
    public void Verbose(string message) => Add(new VerboseMessage(message));

    // A report racing the end of the work is dropped, never thrown on a worker thread.
    private void Add(object report)
    {
        try
        {
            Queue.TryAdd(report);
        }
        catch (InvalidOperationException)
        {
        }
    }

    internal sealed record WarningMessage(string Text);
    internal sealed record VerboseMessage(string Text);
}
