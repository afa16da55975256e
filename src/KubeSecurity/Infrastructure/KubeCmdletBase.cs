using System.Management.Automation;
using KubeSecurity.Core.Diagnostics;
using KubeSecurity.Core.Live;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// What every KubeSecurity cmdlet shares: cancellation on Ctrl+C, running async engine work while
/// the pipeline thread writes its progress and messages, and translating engine failures into
/// ErrorRecords with stable ids and the right category.
/// </summary>
public abstract class KubeCmdletBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private int progressId = 1;

    protected CancellationToken StopToken => stopping.Token;

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>
    /// Runs engine work on the thread pool and pumps its reports onto the pipeline thread until it
    /// finishes. Ctrl+C cancels it; the pipeline then stops without waiting for slow requests.
    /// </summary>
    internal T RunEngine<T>(Func<IOperationReporter, CancellationToken, Task<T>> work)
    {
        var reporter = new QueuedReporter();
        Task<T> task = Task.Run(() => work(reporter, StopToken), StopToken);
        task.ContinueWith(_ => reporter.Queue.CompleteAdding(), TaskScheduler.Default);
        Pump(reporter, progressId++, parentActivityId: -1, onOther: null);

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> for each item, at most <paramref name="throttleLimit"/> at a
    /// time, each with its own progress bar under an overall one. Results and failures are handed
    /// to the callbacks on the pipeline thread as each item finishes, so output streams while the
    /// rest still run; one item's failure never stops the others.
    /// </summary>
    internal void RunEach<T>(string activity, IReadOnlyList<string> items, int throttleLimit,
        Func<string, IOperationReporter, CancellationToken, Task<T>> work, Action<string, T> onResult, Action<string, Exception> onFailure)
    {
        var reporter = new QueuedReporter();
        int overallId = progressId++;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        CancellationToken token = cancel.Token;
        // Disposed when the last item has finished, not when this method returns: after Ctrl+C or
        // a terminating error the items still unwind on their own threads.
        var gate = new SemaphoreSlim(throttleLimit);
        int finished = 0;
        var tasks = items.Select(item =>
        {
            QueuedReporter scoped = reporter.ForScope(item, progressId++);
            return Task.Run(async () =>
            {
                await gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    scoped.Post(new ItemOutcome(item, await work(item, scoped, token).ConfigureAwait(false), null));
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    scoped.Post(new ItemOutcome(item, null, ex));
                }
                finally
                {
                    gate.Release();
                }
            }, token);
        }).ToArray();
        Task.WhenAll(tasks).ContinueWith(_ =>
        {
            reporter.Queue.CompleteAdding();
            gate.Dispose();
        }, TaskScheduler.Default);

        try
        {
            WriteProgress(new ProgressRecord(overallId, activity, $"0 of {items.Count} done") { PercentComplete = 0 });
            Pump(reporter, overallId, overallId, report =>
            {
                var outcome = (ItemOutcome)report;
                finished++;
                WriteProgress(new ProgressRecord(overallId, activity, $"{finished} of {items.Count} done (last: {outcome.Item})") { PercentComplete = finished * 100 / items.Count });
                if (outcome.Failure is null)
                {
                    onResult(outcome.Item, (T)outcome.Result!);
                }
                else
                {
                    onFailure(outcome.Item, outcome.Failure);
                }
            });
            WriteProgress(new ProgressRecord(overallId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
        finally
        {
            // A terminating error or Ctrl+C while handling one item stops the others too (before
            // the using disposes the source; the items only read its token afterwards).
            cancel.Cancel();
        }

        if (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private void Pump(QueuedReporter reporter, int activityId, int parentActivityId, Action<object>? onOther)
    {
        foreach (object report in reporter.Queue.GetConsumingEnumerable())
        {
            switch (report)
            {
                case QueuedReporter.ProgressMessage { Progress: var progress } message:
                    WriteProgress(new ProgressRecord(message.ActivityId == 0 ? activityId : message.ActivityId,
                        message.Scope is null ? progress.Activity : $"{message.Scope}: {progress.Activity}", progress.Status)
                    {
                        PercentComplete = Math.Clamp(progress.PercentComplete, -1, 100),
                        RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                        ParentActivityId = message.ActivityId == 0 ? -1 : parentActivityId,
                    });
                    break;
                case QueuedReporter.WarningMessage warning:
                    WriteWarning(warning.Text);
                    break;
                case QueuedReporter.VerboseMessage verbose:
                    WriteVerbose(verbose.Text);
                    break;
                default:
                    onOther?.Invoke(report);
                    break;
            }
        }
    }

    private sealed record ItemOutcome(string Item, object? Result, Exception? Failure);

    /// <summary>An API or connection failure as an ErrorRecord: 403 is PermissionDenied with the server's message, and so on.</summary>
    internal static ErrorRecord ApiError(KubeApiException exception, object? target)
    {
        (string id, ErrorCategory category) = exception.Failure switch
        {
            ApiFailure.Unauthorized => (ErrorIds.ApiUnauthorized, ErrorCategory.AuthenticationError),
            ApiFailure.Forbidden => (ErrorIds.ApiForbidden, ErrorCategory.PermissionDenied),
            ApiFailure.NotFound => (ErrorIds.ApiNotFound, ErrorCategory.ObjectNotFound),
            ApiFailure.Conflict => (ErrorIds.ApiConflict, ErrorCategory.ResourceExists),
            ApiFailure.Unreachable => (ErrorIds.ApiUnreachable, ErrorCategory.ConnectionError),
            ApiFailure.TlsFailure => (ErrorIds.ApiTlsFailure, ErrorCategory.SecurityError),
            ApiFailure.Timeout => (ErrorIds.ApiTimeout, ErrorCategory.OperationTimeout),
            ApiFailure.Configuration => (ErrorIds.KubeconfigInvalid, ErrorCategory.InvalidArgument),
            ApiFailure.ServerError or ApiFailure.TooManyRequests => (ErrorIds.ApiServerError, ErrorCategory.ResourceUnavailable),
            _ => (ErrorIds.ApiBadResponse, ErrorCategory.InvalidResult),
        };
        return new ErrorRecord(exception, id, category, target ?? exception.Url);
    }

    /// <summary>Reads a text file given as a PowerShell path; a missing or unreadable file is terminating.</summary>
    internal string ReadTextFile(string path)
    {
        string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, full));
            throw;
        }
    }

    /// <summary>
    /// Reads one of several text files given as PowerShell paths (-ConfigurationPath): a missing or
    /// unreadable file is a non-terminating PathNotFound error naming it, so the others are still read.
    /// </summary>
    internal bool TryReadTextFile(string path, out string full, out string text)
    {
        full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        text = string.Empty;
        if (!File.Exists(full))
        {
            WriteError(new ErrorRecord(new FileNotFoundException($"The file '{full}' does not exist.", full), ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, full));
            return false;
        }

        try
        {
            text = File.ReadAllText(full);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.PathNotFound, ErrorCategory.ReadError, full));
            return false;
        }
    }

    /// <summary>A certificate source that could not be read or checked, as a non-terminating error naming it.</summary>
    internal void WriteCertificateProblem(Core.Certificates.CertificateProblem problem) =>
        WriteError(new ErrorRecord(new InvalidDataException(problem.ToString()), "CertificateUnreadable", ErrorCategory.InvalidData, problem.Source));

    public void Dispose()
    {
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
