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

    /// <summary>Whether the two sets share a port, without building their intersection.</summary>
    public bool Overlaps(PortSet other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return false;
        }

        if (ReferenceEquals(this, All) || ReferenceEquals(other, All))
        {
            return true;
        }

        foreach (var entry in ranges)
        {
            if (!other.ranges.TryGetValue(entry.Key, out var theirs))
            {
                continue;
            }

            List<(int Low, int High)> ours = entry.Value;
            int i = 0, j = 0;
            while (i < ours.Count && j < theirs.Count)
            {
                if (ours[i].High < theirs[j].Low)
                {
                    i++;
                }
                else if (theirs[j].High < ours[i].Low)
                {
                    j++;
                }
                else
                {
                    return true;
                }
            }
        }

        return false;
    }

    public PortSet Except(PortSet other) =>
        IsEmpty || ReferenceEquals(other, All) ? None : other.IsEmpty ? this : Combine(other, (a, b) => a && !b);

    private PortSet Combine(PortSet other, Func<bool, bool, bool> keep)
    {
        if (ReferenceEquals(this, other))
        {
            return keep(true, true) ? this : None;
        }

        Dictionary<string, List<(int, int)>>? result = null;
        foreach (string protocol in Protocols)
        {
            List<(int Low, int High)>? a = ranges.GetValueOrDefault(protocol);
            List<(int Low, int High)>? b = other.ranges.GetValueOrDefault(protocol);
            if (a is null && b is null)
            {
                continue;
            }

            List<(int, int)> merged = Sweep(a, b, keep);
            if (merged.Count > 0)
            {
                result ??= new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
                result[protocol] = merged;
            }
        }

        return result is null ? None : new PortSet(result);
    }

    /// <summary>
    /// One pass over the boundaries of two sorted lists of disjoint ranges: between consecutive
    /// boundaries membership in each list is constant, so each segment is kept or not as a whole.
    /// </summary>
    private static List<(int, int)> Sweep(List<(int Low, int High)>? a, List<(int Low, int High)>? b, Func<bool, bool, bool> keep)
    {
        int countA = a?.Count ?? 0;
        int countB = b?.Count ?? 0;
        int[] points = new int[(2 * (countA + countB)) + 1];
        int n = 0;
        points[n++] = 1;
        for (int i = 0; i < countA; i++)
        {
            points[n++] = a![i].Low;
            points[n++] = a[i].High + 1;
        }

        for (int i = 0; i < countB; i++)
        {
            points[n++] = b![i].Low;
            points[n++] = b[i].High + 1;
        }

        Array.Sort(points, 0, n);
        var merged = new List<(int, int)>();
        int ia = 0;
        int ib = 0;
        int start = -1;
        for (int i = 0; i < n; i++)
        {
            int point = points[i];
            if (i > 0 && point == points[i - 1])
            {
                continue;
            }

            if (point > MaxPort)
            {
                break;
            }

            while (ia < countA && a![ia].High < point)
            {
                ia++;
            }

            while (ib < countB && b![ib].High < point)
            {
                ib++;
            }

            bool inside = keep(ia < countA && a![ia].Low <= point, ib < countB && b![ib].Low <= point);
            if (inside && start < 0)
            {
                start = point;
            }
            else if (!inside && start >= 0)
            {
                merged.Add((start, point - 1));
                start = -1;
            }
        }

        if (start >= 0)
        {
            merged.Add((start, MaxPort));
        }

        return merged;
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
