namespace KubeSecurity.Model;

/// <summary>
/// Whether a connection is allowed, and why: the source's egress and the destination's ingress
/// must both allow it. Each side says whether it is isolated and which policy rules allow it.
/// </summary>
public sealed record ConnectivityResult(
    string Source,
    string Destination,
    string Protocol,
    int? Port,
    bool Allowed,
    string Reason,
    string EgressVerdict,
    string IngressVerdict,
    IReadOnlyList<string> AllowedPorts)
{
    /// <summary>Exact, Partial (some policy object that could affect it was not evaluated) or OutOfScope (host network).</summary>
    public NetworkCompleteness Completeness { get; init; } = NetworkCompleteness.Exact;

    /// <summary>Why the answer is not Exact: the objects or features not evaluated, or the host-network pod.</summary>
    public IReadOnlyList<string> CompletenessNotes { get; init; } = Array.Empty<string>();

    public override string ToString() => $"{(Allowed ? "allowed" : "denied")}: {Source} -> {Destination} {Protocol}/{(Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any")} - {Reason}";
}

/// <summary>
/// An allowed connection between workloads (or external address ranges), with the ports it is
/// allowed on. The same shape describes observed flows for New-KubeNetworkPolicy -FromObserved.
/// </summary>
public sealed record NetworkConnection(
    string SourceKind,
    string? SourceNamespace,
    string Source,
    string DestinationKind,
    string? DestinationNamespace,
    string Destination,
    IReadOnlyList<string> Ports)
{
    public string SourceName => SourceNamespace is null ? Source : $"{SourceNamespace}/{Source}";

    /// <summary>Exact, Partial (some policy object that could affect it was not evaluated) or OutOfScope (a host-network workload, listed with "*" as its peer).</summary>
    public NetworkCompleteness Completeness { get; init; } = NetworkCompleteness.Exact;

    /// <summary>Why the connection is not Exact.</summary>
    public IReadOnlyList<string> CompletenessNotes { get; init; } = Array.Empty<string>();
    public string DestinationName => DestinationNamespace is null ? Destination : $"{DestinationNamespace}/{Destination}";

    public override string ToString() => $"{SourceKind}/{SourceName} -> {DestinationKind}/{DestinationName} [{string.Join(",", Ports)}]";
}

/// <summary>A connection a proposed set of policies would newly block or newly allow, on which ports.</summary>
public sealed record NetworkConnectivityChange(string Change, NetworkConnection Connection)
{
    public string Source => Connection.SourceName;
    public string Destination => Connection.DestinationName;
    public IReadOnlyList<string> Ports => Connection.Ports;

    public override string ToString() => $"{Change}: {Connection}";
}
