using System.Collections.ObjectModel;
using System.Management.Automation;
using KubeSecurity.Core.Audit;
using KubeSecurity.Model;
using KubeSecurity.Core.AuditLog;

namespace KubeSecurity.Infrastructure;

/// <summary>The audit-log cmdlets' input: log files (wildcards, gzip), read line by line with a per-line error for what cannot be read.</summary>
public abstract class AuditLogCmdletBase : KubeCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>The events of every file given, one per request unless all stages are wanted.</summary>
    internal IEnumerable<AuditEvent> ReadEvents(bool allStages)
    {
        foreach (string path in Resolve())
        {
            var problems = new List<string>();
            using TextReader reader = AuditLogReader.Open(path);
            IEnumerable<AuditEvent> events = AuditLogReader.Read(reader, path, problems, StopToken);
            foreach (AuditEvent e in allStages ? events : AuditLogReader.OnePerRequest(events))
            {
                foreach (string problem in problems)
                {
                    WriteError(new ErrorRecord(new InvalidDataException(problem), ErrorIds.AuditLogLineInvalid, ErrorCategory.InvalidData, path));
                }

                problems.Clear();
                yield return e;
            }

            foreach (string problem in problems)
            {
                WriteError(new ErrorRecord(new InvalidDataException(problem), ErrorIds.AuditLogLineInvalid, ErrorCategory.InvalidData, path));
            }
        }
    }

    private IEnumerable<string> Resolve()
    {
        foreach (string path in Path!)
        {
            Collection<string>? resolved = null;
            try
            {
                resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
            }
            catch (ItemNotFoundException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, path));
            }

            foreach (string file in resolved ?? new Collection<string>())
            {
                yield return file;
            }
        }
    }
}
