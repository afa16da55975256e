using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>
/// Orders resources exactly as their text (<c>Kind/namespace/name</c>, ordinal) orders, without
/// building the text: sorting an audit of 170,000 findings made a string for each.
/// </summary>
/// <remarks>
/// Segments cannot be compared on their own: "team" sorts before "team-1", but "Pod/team/x" sorts
/// after "Pod/team-1/x" ('/' comes after '-'). A segment that is a prefix of the other is compared by
/// the separator that follows it.
/// </remarks>
internal sealed class ResourceTextOrder : IComparer<ResourceRef>
{
    public static ResourceTextOrder Instance { get; } = new();

    public int Compare(ResourceRef? x, ResourceRef? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        bool xNamespaced = !string.IsNullOrEmpty(x.Namespace), yNamespaced = !string.IsNullOrEmpty(y.Namespace);
        if (xNamespaced != yNamespaced)
        {
            return ByCharacter(x, y);
        }

        int? order = Segment(x.Kind, y.Kind, '/');
        if (order == 0 && xNamespaced)
        {
            order = Segment(x.Namespace!, y.Namespace!, '/');
        }

        return order switch
        {
            null => ByCharacter(x, y),
            0 => Math.Sign(string.CompareOrdinal(x.Name, y.Name)),
            _ => order.Value,
        };
    }

    // Two segments, each followed by the separator in the text; null when that is not enough to decide.
    private static int? Segment(string a, string b, char separator)
    {
        int shorter = Math.Min(a.Length, b.Length);
        int common = a.AsSpan(0, shorter).CommonPrefixLength(b.AsSpan(0, shorter));
        if (common < shorter)
        {
            return a[common] < b[common] ? -1 : 1;
        }

        if (a.Length == b.Length)
        {
            return 0;
        }

        char next = a.Length > b.Length ? a[shorter] : b[shorter];
        if (next == separator)
        {
            return null; // a segment holding the separator (a malformed manifest's name): compare the texts
        }

        int longerFirst = next < separator ? -1 : 1;
        return a.Length > b.Length ? longerFirst : -longerFirst;
    }

    // The general case (one resource namespaced and the other not, or a segment holding '/'): the texts themselves.
    private static int ByCharacter(ResourceRef x, ResourceRef y) => Math.Sign(string.CompareOrdinal(x.ToString(), y.ToString()));
}
