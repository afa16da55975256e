using System.Management.Automation;
using KubeSecurity.Core.Live;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// Cmdlets that change a live cluster: the connection parameters, one connection opened on first
/// use and closed at the end, and the warning that -SkipTlsVerify sends changes to whoever answers.
/// </summary>
public abstract class LiveChangeCmdletBase : KubeCmdletBase
{
    private KubeConnection? connection;

    [Parameter]
    [ArgumentCompleter(typeof(Completers.ContextCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    [Parameter]
    public SwitchParameter SkipTlsVerify { get; set; }

    /// <summary>The connection to the cluster, opened on first use.</summary>
    internal KubeConnection Connection
    {
        get
        {
            if (connection is null)
            {
                if (SkipTlsVerify)
                {
                    WriteWarning("-SkipTlsVerify is set: the API server's certificate is not verified, and changes go to whoever answers.");
                }

                connection = KubeConnection.Open(SnapshotAcquisition.LiveConnection(this, Kubeconfig, Context, false, SkipTlsVerify));
            }

            return connection;
        }
    }

    /// <summary>How ShouldProcess names the cluster.</summary>
    internal string ClusterName => Connection.Context ?? Connection.Server;

    protected override void EndProcessing() => connection?.Dispose();
}
