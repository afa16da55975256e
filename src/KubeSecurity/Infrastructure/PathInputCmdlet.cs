using System.Management.Automation;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// -Path (wildcards, also from the pipeline) and -LiteralPath (also files from the pipeline), as
/// every cmdlet that reads files takes them; declared once for Import-KubeSnapshot and, through
/// <see cref="SnapshotSourceCmdlet"/>, for Get-KubeSnapshot and the analysis cmdlets.
/// </summary>
public abstract class PathInputCmdlet : KubeCmdletBase
{
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>The paths -Path or -LiteralPath name, resolved (wildcards expanded for -Path).</summary>
    protected IEnumerable<string> ResolveInputPaths() => ParameterSetName switch
    {
        PathSet => SnapshotAcquisition.ResolvePaths(this, Path!, literal: false),
        LiteralPathSet => SnapshotAcquisition.ResolvePaths(this, LiteralPath!, literal: true),
        _ => Enumerable.Empty<string>(),
    };
}
