using System.Management.Automation;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Reads a snapshot saved by Export-KubeSnapshot.</summary>
[Cmdlet(VerbsData.Import, "KubeSnapshot", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Import-KubeSnapshot.md")]
[OutputType(typeof(KubeSnapshot))]
public sealed class ImportKubeSnapshotCommand : PathInputCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (string file in ResolveInputPaths())
        {
            WriteVerbose($"Importing saved snapshot {file}.");
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.PathNotFound, ErrorCategory.ReadError, file));
                continue;
            }

            if (!SnapshotFile.IsSnapshot(bytes))
            {
                WriteError(new ErrorRecord(new InvalidDataException($"{file} is not a saved snapshot (write one with Export-KubeSnapshot; read manifests with Get-KubeSnapshot -Path)."),
                    ErrorIds.UnsupportedSnapshotFormat, ErrorCategory.InvalidData, file));
                continue;
            }

            try
            {
                WriteObject(SnapshotFile.Read(bytes, file, InputLimits.Default));
            }
            catch (SnapshotFormatException ex)
            {
                WriteError(new ErrorRecord(new InvalidDataException($"{file}: {ex.Message}", ex),
                    ex.Unsupported ? ErrorIds.UnsupportedSnapshotFormat : ErrorIds.ManifestParseError, ErrorCategory.InvalidData, file));
            }
        }
    }
}
