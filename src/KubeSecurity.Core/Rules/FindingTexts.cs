namespace KubeSecurity.Core.Rules;

/// <summary>
/// Each distinct text the findings of one analysis repeat, held once: the pods of a workload, the
/// subjects of many bindings, the roles they grant, yield the same strings by the ten thousand, and
/// a large audit keeps every finding until it is written.
/// </summary>
internal sealed class FindingTexts
{
    private readonly Dictionary<string, string> held = new(StringComparer.Ordinal);

    /// <summary>The instance already held for an equal text, or this one, held from now on.</summary>
    public string Share(string text)
    {
        if (held.TryGetValue(text, out string? existing))
        {
            return existing;
        }

        held[text] = text;
        return text;
    }
}
