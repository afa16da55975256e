using System.Collections.ObjectModel;
using System.Management.Automation;
using KubeSecurity.Core.AuditLog;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// The audit-log cmdlets' input: log files and folders of them (wildcards, gzip, rotated files),
/// read line by line. What cannot be read is an error naming the file (and line), and the rest is
/// read: a folder, an unreadable or corrupt file, or a file of junk never stops the others.
/// </summary>
public abstract class AuditLogCmdletBase : KubeCmdletBase
{
    /// <summary>Line errors written per file before the rest are counted in one summary error.</summary>
    private const int LineErrorsPerFile = 20;

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
            TextReader reader;
            try
            {
                reader = AuditLogReader.Open(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(new IOException($"{path}: the audit log could not be opened: {ex.Message}", ex), ErrorIds.AuditLogUnreadable, ErrorCategory.ReadError, path));
                continue;
            }

            WriteVerbose($"Reading audit events from {path}.");
            var problems = new List<string>();
            int lineErrors = 0;
            using (reader)
            {
                IEnumerable<AuditEvent> events = AuditLogReader.Read(reader, path, problems, StopToken);
                using IEnumerator<AuditEvent> each = (allStages ? events : AuditLogReader.OnePerRequest(events)).GetEnumerator();
                while (true)
                {
                    bool more;
                    try
                    {
                        more = each.MoveNext();
                    }
                    catch (Exception ex) when (ex is IOException or InvalidDataException)
                    {
                        // A truncated or corrupt gzip file: keep what was read, say where it stopped.
                        WriteLineErrors(path, problems, ref lineErrors);
                        WriteError(new ErrorRecord(new InvalidDataException($"{path}: reading stopped: {ex.Message}", ex), ErrorIds.AuditLogUnreadable, ErrorCategory.ReadError, path));
                        break;
                    }

                    WriteLineErrors(path, problems, ref lineErrors);
                    if (!more)
                    {
                        break;
                    }

                    yield return each.Current;
                }
            }

            if (lineErrors > LineErrorsPerFile)
            {
                WriteError(new ErrorRecord(new InvalidDataException($"{path}: {lineErrors - LineErrorsPerFile:N0} more line(s) could not be read and were skipped (only the first {LineErrorsPerFile} are reported one by one)."),
                    ErrorIds.AuditLogLineInvalid, ErrorCategory.InvalidData, path));
            }
        }
    }

    private void WriteLineErrors(string path, List<string> problems, ref int lineErrors)
    {
        foreach (string problem in problems)
        {
            if (++lineErrors <= LineErrorsPerFile)
            {
                WriteError(new ErrorRecord(new InvalidDataException(problem), ErrorIds.AuditLogLineInvalid, ErrorCategory.InvalidData, path));
            }
        }

        problems.Clear();
    }

    /// <summary>Files of -Path: a folder stands for the files in it (rotated logs included), oldest first.</summary>
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

            foreach (string item in resolved ?? new Collection<string>())
            {
                if (!Directory.Exists(item))
                {
                    yield return item;
                    continue;
                }

                List<FileInfo> files;
                try
                {
                    files = new DirectoryInfo(item).EnumerateFiles().Where(f => !f.Name.StartsWith('.')).OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    WriteError(new ErrorRecord(new IOException($"{item}: the folder could not be listed: {ex.Message}", ex), ErrorIds.AuditLogUnreadable, ErrorCategory.ReadError, item));
                    continue;
                }

                if (files.Count == 0)
                {
                    WriteWarning($"{item} is a folder with no files; no audit events were read from it.");
                }

                WriteVerbose($"{item} is a folder: reading its {files.Count} file(s), oldest first.");
                foreach (FileInfo file in files)
                {
                    yield return file.FullName;
                }
            }
        }
    }
}
