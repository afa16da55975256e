using System.Text.Json;
using KubeSecurity.Model;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Audit;

/// <summary>
/// The JSON report: a stable, documented schema (schemaVersion 1) of findings and summary, read
/// back as a baseline so that audits can fail only on what is new.
/// </summary>
public static class ReportJson
{
    public const int SchemaVersion = 1;

    /// <summary>
    /// What identifies a finding across audits: the context it came through (when it came from a
    /// cluster), the rule, the resource, and the subject or location when there is one.
    /// </summary>
    public static string Key(Finding finding) =>
        $"{(finding.Context is null ? string.Empty : finding.Context + "|")}{finding.RuleId}|{finding.Resource}|{finding.Evidence.GetValueOrDefault("Subject") ?? finding.Evidence.GetValueOrDefault("Location") ?? finding.Evidence.GetValueOrDefault("Container") ?? string.Empty}";

    /// <summary>Writes the report; with several audits (a fleet) <paramref name="clusters"/> lists each one's summary after the combined one.</summary>
    public static void Write(Stream stream, IReadOnlyList<Finding> findings, AuditSummary? summary, IReadOnlyList<AuditSummary>? clusters = null)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", SchemaVersion);
        writer.WriteString("generatedAt", DateTimeOffset.UtcNow);
        if (summary is not null)
        {
            writer.WritePropertyName("summary");
            WriteSummary(writer, summary);
        }

        if (clusters is { Count: > 1 })
        {
            writer.WriteStartArray("clusters");
            foreach (AuditSummary cluster in clusters)
            {
                WriteSummary(writer, cluster);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("findings");
        foreach (Finding f in findings)
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", f.RuleId);
            writer.WriteString("title", f.Title);
            writer.WriteString("severity", f.Severity.ToString());
            writer.WriteString("category", f.Category);
            writer.WriteString("kind", f.Kind);
            writer.WriteString("namespace", f.Namespace);
            writer.WriteString("name", f.Name);
            writer.WriteString("cluster", f.Cluster);
            writer.WriteString("context", f.Context);
            writer.WriteString("message", f.Message);
            writer.WriteString("remediation", f.Remediation);
            writer.WritePropertyName("references");
            JsonSerializer.Serialize(writer, f.References);
            writer.WritePropertyName("evidence");
            JsonSerializer.Serialize(writer, f.Evidence);
            writer.WriteString("key", Key(f));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteCompliance(writer, findings, summary);
        writer.WriteEndObject();
    }

    // Per framework: the score and every control's status, with the resources that failed it (findings are listed above, once).
    private static void WriteCompliance(Utf8JsonWriter writer, IReadOnlyList<Finding> findings, AuditSummary? summary)
    {
        var frameworks = ComplianceEvaluator.EvaluateAll(findings, summary);
        if (frameworks.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("compliance");
        foreach ((Rules.ComplianceFramework framework, List<ComplianceControlResult> controls, ComplianceScore score) in frameworks)
        {
            writer.WriteStartObject();
            writer.WriteString("framework", framework.Name);
            writer.WriteString("title", framework.Title);
            writer.WriteString("version", framework.Version);
            if (score.Score is double value)
            {
                writer.WriteNumber("score", value);
            }
            else
            {
                writer.WriteNull("score");
            }

            writer.WriteNumber("coverage", score.Coverage);
            writer.WriteNumber("passed", score.Passed);
            writer.WriteNumber("failed", score.Failed);
            writer.WriteNumber("notApplicable", score.NotApplicable);
            writer.WriteNumber("notCheckable", score.NotCheckable);
            writer.WriteNumber("notEvaluated", score.NotEvaluated);
            writer.WriteStartArray("controls");
            foreach (ComplianceControlResult control in controls)
            {
                writer.WriteStartObject();
                writer.WriteString("id", control.ControlId);
                writer.WriteString("title", control.Title);
                writer.WriteString("section", control.Section);
                writer.WriteString("status", control.Status.ToString());
                writer.WriteString("reason", control.Reason);
                if (control.Note is not null)
                {
                    writer.WriteString("note", control.Note);
                }

                writer.WritePropertyName("rules");
                JsonSerializer.Serialize(writer, control.RuleIds);
                writer.WriteNumber("findingCount", control.FindingCount);
                writer.WritePropertyName("resources");
                JsonSerializer.Serialize(writer, control.Resources);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteSummary(Utf8JsonWriter writer, AuditSummary summary)
    {
        writer.WriteStartObject();
        writer.WriteString("cluster", summary.Cluster);
        writer.WriteString("context", summary.Context);
        writer.WriteString("startedAt", summary.StartedAt);
        writer.WriteNumber("durationSeconds", summary.Duration.TotalSeconds);
        writer.WriteNumber("total", summary.Total);
        writer.WriteNumber("suppressed", summary.Suppressed);
        writer.WritePropertyName("bySeverity");
        JsonSerializer.Serialize(writer, summary.BySeverity);
        writer.WritePropertyName("byCategory");
        JsonSerializer.Serialize(writer, summary.ByCategory);
        writer.WritePropertyName("skippedAreas");
        JsonSerializer.Serialize(writer, summary.SkippedAreas);
        if (summary.AsOf is DateTimeOffset asOf)
        {
            writer.WriteString("asOf", asOf);
        }

        writer.WritePropertyName("sources");
        JsonSerializer.Serialize(writer, summary.Sources);
        writer.WriteEndObject();
    }

    /// <summary>The findings of a JSON report, as findings again (for drift between audits).</summary>
    public static List<Finding> ReadFindings(string json, string source)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGet("findings"u8, out JsonElement findings) || findings.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{source} is not a KubeSecurity JSON report (no findings list).");
            }

            var result = new List<Finding>();
            foreach (JsonElement f in findings.EnumerateArray())
            {
                string? ruleId = Snapshots.JsonRead.String(f, "ruleId");
                string? name = Snapshots.JsonRead.String(f, "name");
                if (ruleId is null || name is null)
                {
                    throw new InvalidDataException($"{source}: a finding has no ruleId or name.");
                }

                var evidence = f.TryGet("evidence"u8, out JsonElement e) && e.ValueKind == JsonValueKind.Object
                    ? e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
                    : new Dictionary<string, string>();
                result.Add(new Finding(ruleId, Snapshots.JsonRead.String(f, "title") ?? string.Empty,
                    Enum.TryParse(Snapshots.JsonRead.String(f, "severity"), out Severity severity) ? severity : Severity.Info,
                    Snapshots.JsonRead.String(f, "category") ?? string.Empty,
                    new ResourceRef(Snapshots.JsonRead.String(f, "kind") ?? string.Empty, Snapshots.JsonRead.String(f, "namespace"), name),
                    Snapshots.JsonRead.String(f, "message") ?? string.Empty, Snapshots.JsonRead.String(f, "remediation") ?? string.Empty,
                    Snapshots.JsonRead.Strings(f, "references"), evidence,
                    Snapshots.JsonRead.String(f, "cluster"), Snapshots.JsonRead.String(f, "context")));
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The finding keys of a JSON report, for comparison with a new audit.</summary>
    public static HashSet<string> ReadKeys(string json, string source)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGet("findings"u8, out JsonElement findings) || findings.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{source} is not a KubeSecurity JSON report (no findings list).");
            }

            return findings.EnumerateArray().Select(f => Snapshots.JsonRead.String(f, "key")).Where(k => k is not null).Select(k => k!).ToHashSet(StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source} is not valid JSON: {ex.Message}", ex);
        }
    }
}
