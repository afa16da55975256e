using System.Management.Automation;
using System.Text;
using KubeSecurity.Core.Manifests;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Writes Kubernetes objects from the pipeline as multi-document YAML that <c>kubectl apply -f</c>
/// accepts: to a file with -Path, else as text to the pipeline.
/// </summary>
[Cmdlet(VerbsData.Export, "KubeManifest", SupportsShouldProcess = true, DefaultParameterSetName = TextSet, HelpUri = HelpLinks.Base + "Export-KubeManifest.md")]
[OutputType(typeof(string), ParameterSetName = new[] { TextSet })]
[OutputType(typeof(FileInfo), ParameterSetName = new[] { PathSet, LiteralPathSet })]
public sealed class ExportKubeManifestCommand : KubeCmdletBase
{
    private const string TextSet = "Text";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private readonly List<KubeObject> objects = new();

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? LiteralPath { get; set; }

    /// <summary>Write Secret data as it is instead of fingerprints.</summary>
    [Parameter]
    public SwitchParameter IncludeSecretValues { get; set; }

    /// <summary>Keep status, uid, resourceVersion, managedFields and the other fields the server owns.</summary>
    [Parameter]
    public SwitchParameter KeepServerFields { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public SwitchParameter Force { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        IReadOnlyList<KubeObject> converted = InputObjectConverter.Convert(InputObject, out string? problem);
        if (problem is not null)
        {
            WriteError(new ErrorRecord(new ArgumentException($"Cannot export the input: {problem}."), ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, InputObject));
        }

        objects.AddRange(converted);
    }

    protected override void EndProcessing()
    {
        if (objects.Count == 0)
        {
            return;
        }

        var options = new ManifestWriteOptions { IncludeSecretValues = IncludeSecretValues, KeepServerFields = KeepServerFields };
        int secrets = objects.Count(o => o.Kind == "Secret");
        if (IncludeSecretValues && secrets > 0)
        {
            WriteWarning($"The manifest holds the values of {secrets} Secret(s) (base64, not encrypted). Do not commit it to source control.");
        }
        else if (secrets > 0)
        {
            WriteVerbose($"Secret values of {secrets} Secret(s) are replaced by fingerprints; use -IncludeSecretValues to write them.");
        }

        string yaml = ManifestWriter.ToYaml(objects, options);
        if (ParameterSetName == TextSet)
        {
            WriteObject(yaml);
            return;
        }

        string target = OutputFile.Resolve(this, ParameterSetName == LiteralPathSet ? LiteralPath! : Path!);
        if (OutputFile.Write(this, target, Force, NoClobber, PassThru, $"Write {objects.Count} object(s) as YAML", stream => stream.Write(new UTF8Encoding(false).GetBytes(yaml)), ownerOnly: IncludeSecretValues))
        {
            WriteVerbose($"Wrote {objects.Count} object(s) to {target}.");
        }
    }
}
