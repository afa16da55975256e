using System.Management.Automation;
using KubeSecurity.Core.Live;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// Cmdlets that change a live cluster: the connection parameters, a connection per context opened
/// on first use and closed at the end, and the warning that -SkipTlsVerify sends changes to
/// whoever answers.
/// </summary>
public abstract class LiveChangeCmdletBase : KubeCmdletBase
{
    private readonly Dictionary<string, KubeConnection> connections = new(StringComparer.Ordinal);
    private bool warned;

    [Parameter]
    [ArgumentCompleter(typeof(Completers.ContextCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    [Parameter]
    public SwitchParameter SkipTlsVerify { get; set; }

    /// <summary>The connection to the cluster of -Context (or the current context), opened on first use.</summary>
    internal KubeConnection Connection => ConnectionFor(Context);

    /// <summary>How ShouldProcess names the cluster of -Context.</summary>
    internal string ClusterName => NameOf(Connection);

    /// <summary>The connection to a context's cluster (null: -Context, else the current context), opened on first use.</summary>
    internal KubeConnection ConnectionFor(string? context)
    {
        context ??= Context;
        string key = context ?? string.Empty;
        if (!connections.TryGetValue(key, out KubeConnection? connection))
        {
            if (SkipTlsVerify && !warned)
            {
                warned = true;
                WriteWarning("-SkipTlsVerify is set: the API server's certificate is not verified, and changes go to whoever answers.");
            }

            connection = KubeConnection.Open(SnapshotAcquisition.LiveConnection(this, Kubeconfig, context, false, SkipTlsVerify));
            connections[key] = connection;
        }

        return connection;
    }

    /// <summary>How ShouldProcess names a connection's cluster.</summary>
    internal static string NameOf(KubeConnection connection) => connection.Context ?? connection.Server;

    protected override void EndProcessing()
    {
        foreach (KubeConnection connection in connections.Values)
        {
            connection.Dispose();
        }

        connections.Clear();
    }
}
