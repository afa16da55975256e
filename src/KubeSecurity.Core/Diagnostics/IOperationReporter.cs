namespace KubeSecurity.Core.Diagnostics;

/// <summary>
/// How the engine tells its host what it is doing. Calls may come from any thread; the host
/// (a cmdlet) queues them and writes them from the pipeline thread.
/// </summary>
public interface IOperationReporter
{
    void Progress(OperationProgress progress);
    void Warning(string message);
    void Verbose(string message);
}

/// <summary>One progress update: what, how far, and what is being done now.</summary>
public sealed record OperationProgress(string Activity, string Status, int PercentComplete, bool Completed = false);

/// <summary>A reporter that drops everything: for callers that do not care (benchmarks, tests).</summary>
public sealed class NullReporter : IOperationReporter
{
    public static NullReporter Instance { get; } = new();
    public void Progress(OperationProgress progress) { }
    public void Warning(string message) { }
    public void Verbose(string message) { }
}
