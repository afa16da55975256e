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
        int activityId = progressId++;
        foreach (object report in reporter.Queue.GetConsumingEnumerable())
        {
            switch (report)
            {
                case OperationProgress progress:
                    WriteProgress(new ProgressRecord(activityId, progress.Activity, progress.Status)
                    {
                        PercentComplete = Math.Clamp(progress.PercentComplete, -1, 100),
                        RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                    });
                    break;
                case QueuedReporter.WarningMessage warning:
                    WriteWarning(warning.Text);
                    break;
                case QueuedReporter.VerboseMessage verbose:
                    WriteVerbose(verbose.Text);
                    break;
            }
        }

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

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

    /// <summary>A certificate source that could not be read or checked, as a non-terminating error naming it.</summary>
    internal void WriteCertificateProblem(Core.Certificates.CertificateProblem problem) =>
        WriteError(new ErrorRecord(new InvalidDataException(problem.ToString()), "CertificateUnreadable", ErrorCategory.InvalidData, problem.Source));

    public void Dispose()
    {
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
