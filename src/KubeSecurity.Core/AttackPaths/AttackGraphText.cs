using System.Globalization;
using System.Text;
using System.Text.Json;
using KubeSecurity.Model;

namespace KubeSecurity.Core.AttackPaths;

/// <summary>The graph that attack paths form, for Graphviz (Dot), Mermaid, BloodHound (OpenGraph JSON), or as JSON nodes and edges.</summary>
public static class AttackGraphText
{
    public static string Render(IReadOnlyList<AttackPath> paths, string format)
    {
        var nodes = new List<string>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Id(string vertex)
        {
            if (!ids.TryGetValue(vertex, out string? id))
            {
                ids[vertex] = id = $"n{ids.Count}";
                nodes.Add(vertex);
            }

            return id;
        }

        var edges = new List<(string From, string To, string Technique, string Label)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (AttackPath path in paths)
        {
            Id(path.Source);
            foreach (AttackStep step in path.Steps)
            {
                if (seen.Add($"{step.From}|{step.To}|{step.TechniqueId}"))
                {
                    edges.Add((Id(step.From), Id(step.To), step.TechniqueId, step.Technique));
                }
            }
        }

        switch (format.ToLowerInvariant())
        {
            case "dot":
                var dot = new StringBuilder("digraph attack_paths {\n  rankdir=LR;\n  node [shape=box];\n");
                foreach (string vertex in nodes)
                {
                    dot.Append(CultureInfo.InvariantCulture, $"  {ids[vertex]} [label=\"{Escape(vertex)}\"{(vertex is AttackGraph.ClusterAdmin or AttackGraph.Internet ? ", style=bold" : string.Empty)}];\n");
                }

                foreach (var edge in edges)
                {
                    dot.Append(CultureInfo.InvariantCulture, $"  {edge.From} -> {edge.To} [label=\"{Escape(edge.Label)}\"];\n");
                }

                return dot.Append("}\n").ToString();
            case "mermaid":
                var mermaid = new StringBuilder("flowchart LR\n");
                foreach (string vertex in nodes)
                {
                    mermaid.Append(CultureInfo.InvariantCulture, $"  {ids[vertex]}[\"{vertex.Replace("\"", "#quot;", StringComparison.Ordinal)}\"]\n");
                }

                foreach (var edge in edges)
                {
                    mermaid.Append(CultureInfo.InvariantCulture, $"  {edge.From} -->|\"{edge.Label.Replace("\"", "#quot;", StringComparison.Ordinal)}\"| {edge.To}\n");
                }

                return mermaid.ToString();
            case "bloodhound":
                return BloodHound(nodes, ids, edges);
            default:
                using (var stream = new MemoryStream())
                {
                    using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                    {
                        writer.WriteStartObject();
                        writer.WriteStartArray("nodes");
                        foreach (string vertex in nodes)
                        {
                            writer.WriteStartObject();
                            writer.WriteString("id", ids[vertex]);
                            writer.WriteString("label", vertex);
                            writer.WriteString("kind", KindOf(vertex));
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                        writer.WriteStartArray("edges");
                        foreach (var edge in edges)
                        {
                            writer.WriteStartObject();
                            writer.WriteString("from", edge.From);
                            writer.WriteString("to", edge.To);
                            writer.WriteString("technique", edge.Technique);
                            writer.WriteString("label", edge.Label);
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    }

                    return Encoding.UTF8.GetString(stream.ToArray());
                }
        }
    }

    // BloodHound OpenGraph: {"metadata":{"source_kind"},"graph":{"nodes":[{id,kinds,properties}],"edges":[{start,end,kind,properties}]}}.
    // Kinds carry a KS_ prefix so they never collide with BloodHound's own (User, Group, Computer ...).
    private static string BloodHound(List<string> nodes, Dictionary<string, string> ids, List<(string From, string To, string Technique, string Label)> edges)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteString("source_kind", "KubeSecurity");
            writer.WriteEndObject();
            writer.WriteStartObject("graph");
            writer.WriteStartArray("nodes");
            foreach (string vertex in nodes)
            {
                writer.WriteStartObject();
                writer.WriteString("id", vertex);
                writer.WriteStartArray("kinds");
                writer.WriteStringValue("KS_" + Pascal(KindOf(vertex)));
                writer.WriteStringValue("KubeSecurity");
                writer.WriteEndArray();
                writer.WriteStartObject("properties");
                writer.WriteString("name", vertex);
                writer.WriteString("displayname", vertex);
                writer.WriteString("objectid", vertex);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            var vertexOf = ids.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
            writer.WriteStartArray("edges");
            foreach (var edge in edges)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", "KS_" + Pascal(edge.Label));
                writer.WriteStartObject("start");
                writer.WriteString("value", vertexOf[edge.From]);
                writer.WriteString("match_by", "id");
                writer.WriteEndObject();
                writer.WriteStartObject("end");
                writer.WriteString("value", vertexOf[edge.To]);
                writer.WriteString("match_by", "id");
                writer.WriteEndObject();
                writer.WriteStartObject("properties");
                writer.WriteString("technique", edge.Technique);
                writer.WriteString("description", edge.Label);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Pascal(string text) =>
        string.Concat(text.Split(new[] { ' ', '-', ':', '/', ',', '(', ')', '\'' }, StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static string KindOf(string vertex) =>
        vertex == AttackGraph.Internet ? "external"
        : vertex == AttackGraph.ClusterAdmin || vertex.StartsWith("secrets:", StringComparison.Ordinal) ? "target"
        : vertex.StartsWith("Node/", StringComparison.Ordinal) ? "node"
        : vertex.Contains(':', StringComparison.Ordinal) ? "identity"
        : "workload";

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
