using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>The suppression file could not be read.</summary>
public sealed class SuppressionFileException(string message) : Exception(message);

/// <summary>
/// One accepted risk: a rule (wildcards allowed) on resources matching a pattern (Kind/namespace/name,
/// wildcards allowed), optionally only in contexts matching a pattern, why, and until when.
/// </summary>
public sealed record Suppression(string RuleId, string Resource, string Justification, DateTimeOffset? Expires, string Context = "*")
{
    // Compiled once per suppression: audits test every finding against every suppression.
    private readonly Regex rulePattern = Glob(RuleId);
    private readonly Regex resourcePattern = Glob(Resource);
    private readonly Regex contextPattern = Glob(Context);

    // A context pattern other than * never matches findings from files, which have no context.
    public bool Matches(Finding finding) =>
        rulePattern.IsMatch(finding.RuleId) && resourcePattern.IsMatch(finding.Resource.ToString())
        && (Context == "*" || (finding.Context is not null && contextPattern.IsMatch(finding.Context)));

    /// <summary>Whether the rule pattern takes in a rule id (for -IncludeRule/-ExcludeRule, which name rules only).</summary>
    public bool MatchesRule(string ruleId) => rulePattern.IsMatch(ruleId);

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}

/// <summary>
/// Suppressions from a YAML file (a list of ruleId, resource, justification, expires), applied the
/// same way to every area. An expired suppression stops suppressing and is itself reported.
/// </summary>
public static class Suppressions
{
    public static List<Suppression> Parse(string yaml, string source)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = new YamlJsonConverter(InputLimits.Default).ConvertStream(yaml, out int documents);
            root = documents == 0 ? default : document.RootElement[0].Clone();
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InputLimitException or JsonException)
        {
            throw new SuppressionFileException($"{source} is not valid YAML: {ex.Message}");
        }

        JsonElement list = root.ValueKind == JsonValueKind.Object && root.TryGet("suppressions"u8, out JsonElement s) ? s : root;
        if (list.ValueKind == JsonValueKind.Undefined)
        {
            return new List<Suppression>();
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new SuppressionFileException($"{source} must be a list of suppressions (ruleId, resource, justification, expires).");
        }

        var result = new List<Suppression>();
        int index = 0;
        foreach (JsonElement entry in list.EnumerateArray())
        {
            index++;
            string? rule = JsonRead.String(entry, "ruleId");
            string? justification = JsonRead.String(entry, "justification");
            if (rule is null || string.IsNullOrWhiteSpace(justification))
            {
                throw new SuppressionFileException($"{source} entry {index} needs a ruleId and a justification.");
            }

            DateTimeOffset? expires = null;
            if (entry.TryGet("expires"u8, out JsonElement e) && e.ValueKind != JsonValueKind.Null)
            {
                expires = DateTimeOffset.TryParse(e.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
                    ? parsed
                    : throw new SuppressionFileException($"{source} entry {index}: expires '{e}' is not a date.");
            }

            result.Add(new Suppression(rule, JsonRead.String(entry, "resource") ?? "*", justification, expires, JsonRead.String(entry, "context") ?? "*"));
        }

        return result;
    }

    /// <summary>The findings that remain, how many were suppressed, and a finding per expired suppression.</summary>
    public static (List<Finding> Kept, int Suppressed) Apply(IEnumerable<Finding> findings, IReadOnlyList<Suppression> suppressions, DateTimeOffset asOf, string source)
    {
        var active = suppressions.Where(s => s.Expires is null || s.Expires > asOf).ToList();
        var kept = new List<Finding>();
        int suppressed = 0;
        foreach (Finding finding in findings)
        {
            if (active.Any(s => s.Matches(finding)))
            {
                suppressed++;
            }
            else
            {
                kept.Add(finding);
            }
        }

        foreach (Suppression expired in suppressions.Where(s => s.Expires is not null && s.Expires <= asOf))
        {
            kept.Add(RuleCatalog.CreateFinding(CoverageRules.ExpiredSuppression, new ResourceRef("Suppression", null, $"{expired.RuleId} {expired.Resource}"),
                $"The suppression of {expired.RuleId} on {expired.Resource}{(expired.Context == "*" ? string.Empty : $" in context {expired.Context}")} in {source} expired on {expired.Expires:yyyy-MM-dd} (\"{expired.Justification}\"); its findings are reported again.",
                new Dictionary<string, string> { ["RuleId"] = expired.RuleId, ["Resource"] = expired.Resource, ["Expired"] = expired.Expires!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));
        }

        return (kept, suppressed);
    }
}
