using System.Management.Automation;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Saves a snapshot to one compressed file. Secret values are redacted unless -IncludeSecretValues.</summary>
[Cmdlet(VerbsData.Export, "KubeSnapshot", SupportsShouldProcess = true, DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Export-KubeSnapshot.md")]
[OutputType(typeof(FileInfo))]
public sealed class ExportKubeSnapshotCommand : KubeCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public KubeSnapshot? Snapshot { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? LiteralPath { get; set; }

    /// <summary>Keep Secret values (and credential-like ConfigMap values) in the file.</summary>
    [Parameter]
    public SwitchParameter IncludeSecretValues { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ParameterSetName == LiteralPathSet ? LiteralPath : Path);
        if (NoClobber && File.Exists(target))
        {
            WriteError(new ErrorRecord(new IOException($"The file '{target}' already exists and -NoClobber was given."), ErrorIds.FileExists, ErrorCategory.ResourceExists, target));
            return;
        }

        string action = IncludeSecretValues ? "Save snapshot WITH secret values" : "Save snapshot (secret values redacted)";
        if (!ShouldProcess(target, action))
        {
            return;
        }

        if (File.Exists(target) && (File.GetAttributes(target) & FileAttributes.ReadOnly) != 0 && !Force)
        {
            WriteError(new ErrorRecord(new IOException($"The file '{target}' is read-only; use -Force to overwrite it."), ErrorIds.FileWriteFailed, ErrorCategory.PermissionDenied, target));
            return;
        }

        if (IncludeSecretValues)
        {
            WriteWarning($"{target} will hold Secret values as the cluster stores them (base64, not encrypted). Protect it like the secrets themselves.");
        }

        string temporary = target + ".tmp-" + Environment.ProcessId;
        try
        {
            int redacted;
            using (FileStream stream = File.Create(temporary))
            {
                redacted = SnapshotFile.Write(Snapshot!, stream, IncludeSecretValues, typeof(ExportKubeSnapshotCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            }

            if (Force && File.Exists(target))
            {
                File.SetAttributes(target, FileAttributes.Normal);
            }

            // Write then rename: an interrupted export never leaves a truncated snapshot behind.
            File.Move(temporary, target, overwrite: true);
            WriteVerbose($"Saved {Snapshot!.ObjectCount} object(s) to {target}{(IncludeSecretValues ? string.Empty : $"; redacted values in {redacted} Secret/ConfigMap object(s)")}.");
            if (PassThru)
            {
                WriteObject(new FileInfo(target));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(temporary);
            WriteError(new ErrorRecord(ex, ErrorIds.FileWriteFailed, ErrorCategory.WriteError, target));
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The write already failed and is reported; a leftover temporary file is harmless.
        }
    }
}
