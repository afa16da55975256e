namespace KubeSecurity.Core.Network;

/// <summary>
/// A set of (protocol, port) pairs: per protocol (TCP, UDP, SCTP) a list of disjoint, sorted
/// port ranges. Immutable; union, intersection and difference build new sets.
/// </summary>
public sealed class PortSet : IEquatable<PortSet>
{
    public const int MaxPort = 65535;
    public static readonly string[] Protocols = { "TCP", "UDP", "SCTP" };

    private readonly Dictionary<string, List<(int Low, int High)>> ranges;

    private PortSet(Dictionary<string, List<(int, int)>> ranges) => this.ranges = ranges;

    public static PortSet None { get; } = new(new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal));

    public static PortSet All { get; } = new(Protocols.ToDictionary(p => p, _ => new List<(int, int)> { (1, MaxPort) }, StringComparer.Ordinal));

    public static PortSet Of(string protocol, int low, int high) =>
        new(new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal) { [protocol] = new() { (low, high) } });

    public static PortSet AllOf(string protocol) => Of(protocol, 1, MaxPort);

    public bool IsEmpty => ranges.Count == 0;

    public bool IsAll => Protocols.All(p => ranges.TryGetValue(p, out var r) && r.Count == 1 && r[0] == (1, MaxPort));

    public bool Contains(string protocol, int port) =>
        ranges.TryGetValue(protocol, out var list) && list.Any(r => r.Low <= port && port <= r.High);

    // The shortcuts matter: maps combine millions of sets, and most are empty or everything.
    public PortSet Union(PortSet other) =>
        IsEmpty ? other : other.IsEmpty ? this : ReferenceEquals(this, All) || ReferenceEquals(other, All) ? All : Combine(other, (a, b) => a || b);

    public PortSet Intersect(PortSet other) =>
        ReferenceEquals(this, All) ? other : ReferenceEquals(other, All) ? this : IsEmpty || other.IsEmpty ? None : Combine(other, (a, b) => a && b);

    public PortSet Except(PortSet other) => Combine(other, (a, b) => a && !b);

    private PortSet Combine(PortSet other, Func<bool, bool, bool> keep)
    {
        if (ReferenceEquals(this, other))
        {
            return keep(true, true) ? this : None;
        }

        var result = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        foreach (string protocol in Protocols)
        {
            List<(int, int)> a = ranges.GetValueOrDefault(protocol) ?? new();
            List<(int, int)> b = other.ranges.GetValueOrDefault(protocol) ?? new();
            if (a.Count == 0 && b.Count == 0)
            {
                continue;
            }

            // Sweep over the range boundaries of both lists.
            var points = new SortedSet<int> { 1, MaxPort + 1 };
            foreach ((int low, int high) in a.Concat(b))
            {
                points.Add(low);
                points.Add(high + 1);
            }

            var merged = new List<(int, int)>();
            int? start = null;
            int previous = 0;
            foreach (int point in points)
            {
                if (point > MaxPort)
                {
                    break;
                }

                bool inside = keep(a.Any(r => r.Item1 <= point && point <= r.Item2), b.Any(r => r.Item1 <= point && point <= r.Item2));
                if (inside && start is null)
                {
                    start = point;
                }
                else if (!inside && start is not null)
                {
                    merged.Add((start.Value, point - 1));
                    start = null;
                }

                previous = point;
            }

            if (start is not null)
            {
                merged.Add((start.Value, MaxPort));
            }

            _ = previous;
            if (merged.Count > 0)
            {
                result[protocol] = merged;
            }
        }

        return result.Count == 0 ? None : new PortSet(result);
    }

    /// <summary>The set as people write it: <c>any</c>, <c>TCP/443</c>, <c>UDP/53,TCP/53</c>, <c>TCP/32000-32768</c>, <c>TCP/any</c>.</summary>
    public IReadOnlyList<string> Describe()
    {
        if (IsAll)
        {
            return new[] { "any" };
        }

        var parts = new List<string>();
        foreach (string protocol in Protocols)
        {
            if (!ranges.TryGetValue(protocol, out var list))
            {
                continue;
            }

            foreach ((int low, int high) in list)
            {
                parts.Add(low == 1 && high == MaxPort ? $"{protocol}/any" : low == high ? $"{protocol}/{low}" : $"{protocol}/{low}-{high}");
            }
        }

        return parts;
    }

    /// <summary>Reads what <see cref="Describe"/> writes (and a bare port number, meaning TCP).</summary>
    public static bool TryParse(IEnumerable<string> parts, out PortSet set)
    {
        set = None;
        foreach (string raw in parts)
        {
            string part = raw.Trim();
            if (part.Equals("any", StringComparison.OrdinalIgnoreCase))
            {
                set = All;
                continue;
            }

            string protocol = "TCP";
            int slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                protocol = part[..slash].ToUpperInvariant();
                part = part[(slash + 1)..];
            }

            if (!Protocols.Contains(protocol))
            {
                return false;
            }

            if (part.Equals("any", StringComparison.OrdinalIgnoreCase))
            {
                set = set.Union(AllOf(protocol));
                continue;
            }

            string[] bounds = part.Split('-');
            if (bounds.Length is < 1 or > 2 || !int.TryParse(bounds[0], out int low) || !int.TryParse(bounds[^1], out int high) || low < 1 || high > MaxPort || high < low)
            {
                return false;
            }

            set = set.Union(Of(protocol, low, high));
        }

        return true;
    }

    public bool Equals(PortSet? other) => other is not null && Describe().SequenceEqual(other.Describe());

    public override bool Equals(object? obj) => Equals(obj as PortSet);

    public override int GetHashCode() => string.Join(",", Describe()).GetHashCode(StringComparison.Ordinal);

    public override string ToString() => IsEmpty ? "none" : string.Join(",", Describe());
}
