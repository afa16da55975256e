using System.Net;

namespace KubeSecurity.Core.Network;

/// <summary>One end of a connection: a class of pods, or an address outside the cluster.</summary>
public sealed record NetworkEndpoint(PodClass? Pods, IPAddress? Address, string Label)
{
    // One endpoint per class, built once: maps evaluate millions of pairs of the same classes.
    public static NetworkEndpoint Of(PodClass pods) => pods.Endpoint;

    public static NetworkEndpoint External(IPAddress address, string? label = null) => new(null, address, label ?? address.ToString());

    public bool IsExternal => Pods is null;

    public override string ToString() => Label;
}

/// <summary>What one side (egress of the source, or ingress of the destination) allows, and why.</summary>
public sealed record SideVerdict(bool Isolated, PortSet Allowed, IReadOnlyList<string> Policies, IReadOnlyList<string> AllowingRules)
{
    /// <summary>Decided through the admin tiers: AllowingRules then lists every deciding step (Allow, Deny, Pass, NetworkPolicy, baseline, default).</summary>
    public bool Tiered { get; init; }

    /// <summary>The tiered steps with the ports each decided, so an answer about one port names the step that decided it.</summary>
    public IReadOnlyList<(PortSet Ports, string Text)> Steps { get; init; } = Array.Empty<(PortSet, string)>();

    /// <summary>The explanation; for one port of a tiered side, only the steps that decided that port.</summary>
    public string Describe(string direction, string who, string? protocol = null, int? port = null)
    {
        if (Tiered && protocol is not null && port is int wanted && Steps.Where(s => s.Ports.Contains(protocol, wanted)).Select(s => s.Text).ToList() is { Count: > 0 } deciding)
        {
            return $"{direction} of {who}: {string.Join("; then ", deciding)}";
        }

        return Describe(direction, who);
    }

    public string Describe(string direction, string who) =>
        Tiered ? $"{direction} of {who}: {string.Join("; ", AllowingRules)}"
        : !Isolated ? $"{who} is not isolated for {direction}: no policy selects it for {direction}, so everything is allowed"
        : AllowingRules.Count == 0 ? $"{who} is isolated for {direction} by {string.Join(", ", Policies)} and no rule allows this"
        : $"{direction} allowed by {string.Join("; ", AllowingRules)}";
}
