using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Snapshots;

/// <summary>Writes an object's JSON complete: list items served without apiVersion/kind get them back.</summary>
internal static class KubeObjectJson
{
    public static void Write(Utf8JsonWriter writer, KubeObject item, JsonObject? replacement = null)
    {
        if (replacement is not null)
        {
            replacement["apiVersion"] ??= item.ApiVersion;
            replacement["kind"] ??= item.Kind;
            replacement.WriteTo(writer);
            return;
        }

        JsonElement json = item.Json;
        bool hasApiVersion = json.TryGet("apiVersion", out _);
        bool hasKind = json.TryGet("kind", out _);
        if (hasApiVersion && hasKind)
        {
            json.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("apiVersion", item.ApiVersion);
        writer.WriteString("kind", item.Kind);
        foreach (JsonProperty property in json.EnumerateObject())
        {
            if (property.NameEquals("apiVersion") || property.NameEquals("kind"))
            {
                continue;
            }

            property.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>The object as a mutable node, apiVersion and kind first.</summary>
    public static JsonObject ToNode(KubeObject item)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, item);
        }

        return JsonNode.Parse(buffer.WrittenSpan) as JsonObject ?? new JsonObject();
    }
}
