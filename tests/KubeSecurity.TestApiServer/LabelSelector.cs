using System.Text.Json.Nodes;

namespace KubeSecurity.TestApiServer;

/// <summary>The labelSelector query syntax: a=b, a==b, a!=b, a, !a, a in (x,y), a notin (x,y).</summary>
internal static class LabelSelector
{
    public static Func<JsonObject, bool> Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return _ => true;
        }

        var requirements = new List<Func<IDictionary<string, string>, bool>>();
        foreach (string raw in SplitTopLevel(selector))
        {
            string term = raw.Trim();
            int inIndex = term.IndexOf(" in ", StringComparison.Ordinal), notIn = term.IndexOf(" notin ", StringComparison.Ordinal);
            if (notIn > 0 || inIndex > 0)
            {
                bool negate = notIn > 0;
                string key = term[..(negate ? notIn : inIndex)].Trim();
                string set = term[(term.IndexOf('(', StringComparison.Ordinal) + 1)..term.LastIndexOf(')')];
                HashSet<string> values = set.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                requirements.Add(labels => negate ? !labels.TryGetValue(key, out string? v) || !values.Contains(v) : labels.TryGetValue(key, out string? w) && values.Contains(w));
            }
            else if (term.Contains("!=", StringComparison.Ordinal))
            {
                string[] parts = term.Split("!=", 2);
                requirements.Add(labels => !labels.TryGetValue(parts[0].Trim(), out string? v) || v != parts[1].Trim());
            }
            else if (term.Contains('=', StringComparison.Ordinal))
            {
                string[] parts = term.Split(term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
                requirements.Add(labels => labels.TryGetValue(parts[0].Trim(), out string? v) && v == parts[1].Trim());
            }
            else if (term.StartsWith('!'))
            {
                requirements.Add(labels => !labels.ContainsKey(term[1..].Trim()));
            }
            else
            {
                requirements.Add(labels => labels.ContainsKey(term));
            }
        }

        return item =>
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (item["metadata"]?["labels"] is JsonObject map)
            {
                foreach (KeyValuePair<string, JsonNode?> pair in map)
                {
                    labels[pair.Key] = pair.Value?.ToString() ?? string.Empty;
                }
            }

            return requirements.All(r => r(labels));
        };
    }

    private static IEnumerable<string> SplitTopLevel(string selector)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < selector.Length; i++)
        {
            depth += selector[i] == '(' ? 1 : selector[i] == ')' ? -1 : 0;
            if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }

        yield return selector[start..];
    }
}
