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

    /// <summary>Seconds one request to the API server may take.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 60;

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

            connection = KubeConnection.Open(SnapshotAcquisition.LiveConnection(this, Kubeconfig, context, false, SkipTlsVerify, TimeSpan.FromSeconds(TimeoutSec)));
            connections[key] = connection;
        }

        return connection;
    }

    /// <summary>How ShouldProcess names a connection's cluster.</summary>
    internal static string NameOf(KubeConnection connection) => connection.Context ?? connection.Server;

    /// <summary>True under -WhatIf (the parameter, or $WhatIfPreference).</summary>
    internal bool WhatIfRequested =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf)
            ? LanguagePrimitives.IsTrue(whatIf)
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    /// <summary>The cluster could not be reached at all (as opposed to answering with an error).</summary>
    internal static bool IsUnreachable(KubeApiException ex) =>
        ex.Failure is ApiFailure.Configuration or ApiFailure.Unreachable or ApiFailure.TlsFailure or ApiFailure.Timeout;

    /// <summary>
    /// -WhatIf changes nothing, so it needs no cluster: when the cluster cannot be reached (no
    /// kubeconfig, unreachable, TLS, timeout), shows what would be done and returns true; the caller
    /// then stops without an error. Any other failure, or a real run, returns false.
    /// </summary>
    internal bool WhatIfWithoutCluster(KubeApiException ex, string target, string action)
    {
        if (!WhatIfRequested || !IsUnreachable(ex))
        {
            return false;
        }

        ShouldProcess($"{target} on {Context ?? "the current context"} (not reachable, so planned offline: {ex.Message})", action);
        return true;
    }

    protected override void EndProcessing()
    {
        foreach (KubeConnection connection in connections.Values)
        {
            connection.Dispose();
        }

        connections.Clear();
    }
}
