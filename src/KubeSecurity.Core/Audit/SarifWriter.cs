using System.Globalization;
using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>
/// SARIF 2.1.0 for code scanning: one run, the rules with help and security-severity, results
/// with a stable partial fingerprint, and locations pointing at the manifest file an object came
/// from when the audit read files (plus the Kubernetes resource as a logical location).
/// </summary>
public static class SarifWriter
{
    public static void Write(Stream stream, IReadOnlyList<Finding> findings, IReadOnlyDictionary<ResourceRef, string>? origins, string? baseDirectory, string version)
    {
        var regions = new DocumentRegions();
        var rules = findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = rules.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        writer.WriteString("version", "2.1.0");
        writer.WriteStartArray("runs");
        writer.WriteStartObject();
        writer.WriteStartObject("tool");
        writer.WriteStartObject("driver");
        writer.WriteString("name", "KubeSecurity");
        writer.WriteString("semanticVersion", version);
        writer.WriteString("informationUri", "https://github.com/kubesecurity/KubeSecurity");
        writer.WriteStartArray("rules");
        foreach (string id in rules)
        {
            SecurityRule? rule = RuleCatalog.TryGet(id, out SecurityRule r) ? r : null;
            Finding sample = findings.First(f => f.RuleId == id);
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("name", Pascal(rule?.Title ?? sample.Title));
            writer.WriteStartObject("shortDescription");
            writer.WriteString("text", rule?.Title ?? sample.Title);
            writer.WriteEndObject();
            writer.WriteStartObject("fullDescription");
            writer.WriteString("text", rule?.Description ?? sample.Title);
            writer.WriteEndObject();
            writer.WriteStartObject("help");
            string remediation = rule?.Remediation ?? sample.Remediation;
            writer.WriteString("text", $"{rule?.Description}\n\nHow to fix: {remediation}");
            writer.WriteString("markdown", $"{rule?.Description}\n\n**How to fix:** {remediation}\n\n{string.Join("\n", (rule?.References ?? sample.References).Select(x => $"- {x}"))}");
            writer.WriteEndObject();
            string? uri = rule?.HelpUri ?? sample.References.FirstOrDefault(x => x.StartsWith("https://", StringComparison.Ordinal));
            if (uri is not null)
            {
                writer.WriteString("helpUri", uri);
            }

            writer.WriteStartObject("defaultConfiguration");
            writer.WriteString("level", Level(rule?.Severity ?? sample.Severity));
            writer.WriteEndObject();
            writer.WriteStartObject("properties");
            writer.WriteStartArray("tags");
            writer.WriteStringValue("security");
            writer.WriteStringValue(rule?.Category ?? sample.Category);
            // The framework controls the rule decides ("CIS 5.1.3", "PSS Baseline/Privileged"), so code scanning can filter by them.
            foreach (string tag in Rules.ComplianceFrameworks.TagsOf(id))
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
            writer.WriteString("security-severity", SecuritySeverity(rule?.Severity ?? sample.Severity));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartArray("results");
        foreach (Finding f in findings)
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", f.RuleId);
            writer.WriteNumber("ruleIndex", index[f.RuleId]);
            writer.WriteString("level", Level(f.Severity));
            writer.WriteStartObject("message");
            writer.WriteString("text", f.Message);
            writer.WriteEndObject();
            writer.WriteStartArray("locations");
            writer.WriteStartObject();
            if (origins is not null && origins.TryGetValue(f.Resource, out string? origin) && FileOf(origin, baseDirectory) is string file)
            {
                writer.WriteStartObject("physicalLocation");
                writer.WriteStartObject("artifactLocation");
                writer.WriteString("uri", file);
                writer.WriteEndObject();
                if (regions.Region(origin) is (int first, int last))
                {
                    writer.WriteStartObject("region");
                    writer.WriteNumber("startLine", first);
                    writer.WriteNumber("endLine", last);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteStartArray("logicalLocations");
            writer.WriteStartObject();
            writer.WriteString("name", f.Name);
            writer.WriteString("fullyQualifiedName", f.Resource.ToString());
            writer.WriteString("kind", "resource");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartObject("partialFingerprints");
            writer.WriteString("kubesecurity/v1", ReportJson.Key(f));
            writer.WriteEndObject();
            writer.WriteStartObject("properties");
            writer.WriteString("severity", f.Severity.ToString());
            writer.WriteString("category", f.Category);
            if (f.Context is not null || f.Cluster is not null)
            {
                writer.WriteString("cluster", f.Cluster);
                writer.WriteString("context", f.Context);
            }

            foreach ((string key, string value) in f.Evidence)
            {
                writer.WriteString($"evidence.{key}", value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The lines of each YAML document of a manifest file (origins are <c>file#documentIndex</c>), read once per file.</summary>
    private sealed class DocumentRegions
    {
        private readonly Dictionary<string, List<(int Index, int First, int Last)>> byFile = new(StringComparer.Ordinal);

        public (int First, int Last)? Region(string origin)
        {
            int hash = origin.LastIndexOf('#');
            if (hash < 0 || !int.TryParse(origin.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                return null;
            }

            string path = origin[..hash];
            if (!byFile.TryGetValue(path, out var documents))
            {
                documents = new List<(int, int, int)>();
                if (File.Exists(path) && new FileInfo(path).Length < 64L * 1024 * 1024)
                {
                    string text = File.ReadAllText(path);
                    int lines = text.Count(c => c == '\n') + 1;
                    List<Snapshots.YamlDocumentSplitter.Chunk> chunks = Snapshots.YamlDocumentSplitter.Split(text);
                    for (int i = 0; i < chunks.Count; i++)
                    {
                        int last = i + 1 < chunks.Count ? chunks[i + 1].FirstLine - 1 : lines;
                        documents.Add((chunks[i].Index, chunks[i].FirstLine, Math.Max(chunks[i].FirstLine, last)));
                    }
                }

                byFile[path] = documents;
            }

            foreach ((int i, int first, int last) in documents)
            {
                if (i == index)
                {
                    return (first, last);
                }
            }

            return null;
        }
    }

    private static string? FileOf(string origin, string? baseDirectory)
    {
        int hash = origin.LastIndexOf('#');
        string path = hash > 0 ? origin[..hash] : origin;
        if (!File.Exists(path))
        {
            return null;
        }

        string full = Path.GetFullPath(path);
        string relative = baseDirectory is null ? full : Path.GetRelativePath(baseDirectory, full);
        return (Path.IsPathRooted(relative) ? new Uri(relative).AbsoluteUri : relative).Replace('\\', '/');
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    private static string SecuritySeverity(Severity severity) => (severity switch
    {
        Severity.Critical => 9.5,
        Severity.High => 8.0,
        Severity.Medium => 5.5,
        Severity.Low => 3.0,
        _ => 1.0,
    }).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Pascal(string title) =>
        string.Concat(title.Split(' ', '-', '/', '(', ')', ',', ':', '.').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
