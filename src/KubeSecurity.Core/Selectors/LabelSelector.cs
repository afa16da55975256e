using System.Text.Json;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Selectors;

/// <summary>
/// A Kubernetes label selector (<c>matchLabels</c> and <c>matchExpressions</c> with In, NotIn,
/// Exists, DoesNotExist), with the API's meaning: an empty selector matches everything, and a
/// selector with an unknown operator matches nothing (the API server would have rejected it).
/// </summary>
public sealed class LabelSelector
{
    private readonly List<KeyValuePair<string, string>> matchLabels;
    private readonly List<Requirement> expressions;

    private sealed record Requirement(string Key, string Operator, IReadOnlyList<string> Values);

    private LabelSelector(List<KeyValuePair<string, string>> matchLabels, List<Requirement> expressions, string? problem)
    {
        this.matchLabels = matchLabels;
        this.expressions = expressions;
        Problem = problem;
    }

    /// <summary>Why the selector is invalid (it then matches nothing), or null.</summary>
    public string? Problem { get; }

    public bool IsEmpty => Problem is null && matchLabels.Count == 0 && expressions.Count == 0;

    /// <summary>The label keys the selector names (matchLabels and matchExpressions).</summary>
    public IEnumerable<string> Keys => matchLabels.Select(l => l.Key).Concat(expressions.Select(e => e.Key));

    public static LabelSelector Everything { get; } = new(new(), new(), null);

    /// <summary>Reads a selector object. Anything that is not one yields an invalid selector that matches nothing.</summary>
    public static LabelSelector Parse(JsonElement selector)
    {
        if (selector.ValueKind != JsonValueKind.Object)
        {
            return new LabelSelector(new(), new(), $"a label selector must be an object, not {selector.ValueKind}");
        }

        List<KeyValuePair<string, string>> labels = selector.TryGet("matchLabels"u8, out JsonElement ml) ? Labels(ml) : new();
        var requirements = new List<Requirement>();
        string? problem = null;

        if (selector.TryGet("matchExpressions"u8, out JsonElement me) && me.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement expression in me.EnumerateArray())
            {
                string? key = Snapshots.JsonRead.String(expression, "key");
                string? op = Snapshots.JsonRead.String(expression, "operator");
                List<string> values = Snapshots.JsonRead.Strings(expression, "values");
                if (key is null || op is not ("In" or "NotIn" or "Exists" or "DoesNotExist"))
                {
                    problem ??= $"matchExpressions entry with key '{key}' has the unknown operator '{op}'";
                    continue;
                }

                if (op is "In" or "NotIn" && values.Count == 0)
                {
                    problem ??= $"matchExpressions entry '{key} {op}' has no values";
                    continue;
                }

                requirements.Add(new Requirement(key, op, values));
            }
        }

        return new LabelSelector(labels, requirements, problem);
    }

    /// <summary>
    /// Reads a selector written as a plain map of label to value (a Service's spec.selector), which is
    /// what matchLabels is. Anything that is not a map matches nothing; an empty map is
    /// <see cref="IsEmpty"/>, which for a Service means it selects no pods at all.
    /// </summary>
    public static LabelSelector ParseMap(JsonElement map) =>
        map.ValueKind == JsonValueKind.Object ? new LabelSelector(Labels(map), new(), null) : new LabelSelector(new(), new(), $"a selector map must be an object, not {map.ValueKind}");

    private static List<KeyValuePair<string, string>> Labels(JsonElement map)
    {
        var labels = new List<KeyValuePair<string, string>>();
        if (map.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty label in map.EnumerateObject())
            {
                labels.Add(new(label.Name, label.Value.ValueKind == JsonValueKind.String ? label.Value.AsString()! : label.Value.GetRawText()));
            }
        }

        return labels;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        if (Problem is not null)
        {
            return false;
        }

        foreach (KeyValuePair<string, string> required in matchLabels)
        {
            if (!labels.TryGetValue(required.Key, out string? value) || !string.Equals(value, required.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (Requirement requirement in expressions)
        {
            bool has = labels.TryGetValue(requirement.Key, out string? value);
            bool ok = requirement.Operator switch
            {
                "In" => has && requirement.Values.Contains(value!, StringComparer.Ordinal),
                "NotIn" => !has || !requirement.Values.Contains(value!, StringComparer.Ordinal),
                "Exists" => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() =>
        IsEmpty ? "(everything)" : string.Join(",", matchLabels.Select(l => $"{l.Key}={l.Value}").Concat(expressions.Select(e => $"{e.Key} {e.Operator} ({string.Join(",", e.Values)})")));
}
