using System.Management.Automation;
using KubeSecurity.Core.Redaction;
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
        string target = OutputFile.Resolve(this, ParameterSetName == LiteralPathSet ? LiteralPath! : Path!);
        int redacted = 0;
        string action = IncludeSecretValues ? "Save snapshot WITH secret values" : "Save snapshot (secret values redacted)";
        string version = typeof(ExportKubeSnapshotCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        if (OutputFile.Write(this, target, Force, NoClobber, PassThru, action, stream =>
            {
                if (IncludeSecretValues)
                {
                    WriteWarning($"{target} will hold Secret values as the cluster stores them (base64, not encrypted). Protect it like the secrets themselves.");
                }

                redacted = RedactedSnapshotFile.Write(Snapshot!, stream, IncludeSecretValues, version);
            }, ownerOnly: IncludeSecretValues))
        {
            WriteVerbose($"Saved {Snapshot!.ObjectCount} object(s) to {target}{(IncludeSecretValues ? string.Empty : $"; redacted values in {redacted} Secret/ConfigMap object(s)")}.");
        }
    }
}
