using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// The saved-snapshot format: one gzip-compressed JSON file with a format version, the snapshot's
/// metadata and every object. Secret values are redacted unless the caller opts in.
/// </summary>
public static class SnapshotFile
{
    public const int FormatVersion = 1;
    public const string Extension = ".ksnap";
    private const string FormatProperty = "kubesecuritySnapshot";

    /// <summary>Gzip magic, or an uncompressed file whose first property is the format property (pretty-printed or not).</summary>
    public static bool IsSnapshot(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            return true;
        }

        int start = bytes.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0 || bytes[start] != (byte)'{')
        {
            return false;
        }

        ReadOnlySpan<byte> rest = bytes[(start + 1)..];
        int property = rest.IndexOfAnyExcept(" \t\r\n"u8);
        return property >= 0 && rest[property..].StartsWith("\"kubesecuritySnapshot\""u8);
    }

    /// <summary>
    /// Writes the snapshot, each object through <paramref name="redact"/> when given (it returns the
    /// redacted JSON, or null to keep the object as it is). Returns how many objects were redacted.
    /// Redaction is the caller's (see Redaction.RedactedSnapshotFile): this base folder knows no credentials.
    /// </summary>
    public static int Write(KubeSnapshot snapshot, Stream destination, Func<KubeObject, JsonObject?>? redact, string toolVersion)
    {
        int redactedObjects = 0;
        using var gzip = new GZipStream(destination, CompressionLevel.Optimal, leaveOpen: true);
        using var writer = new Utf8JsonWriter(gzip);
        writer.WriteStartObject();
        writer.WriteNumber(FormatProperty, FormatVersion);
        writer.WriteString("writtenBy", $"KubeSecurity {toolVersion}");
        writer.WriteString("source", snapshot.Source.ToString());
        WriteOptional(writer, "cluster", snapshot.Cluster);
        WriteOptional(writer, "context", snapshot.Context);
        WriteOptional(writer, "server", snapshot.Server);
        writer.WriteString("collectedAt", snapshot.CollectedAt.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteBoolean("secretValuesRedacted", snapshot.SecretValuesRedacted || redact is not null);
        WriteStrings(writer, "namespaceScope", snapshot.NamespaceScope);
        WriteStrings(writer, "origins", snapshot.Origins);
        WriteStrings(writer, "inputProblems", snapshot.InputProblems);
        writer.WriteStartArray("missingKinds");
        foreach (MissingKind missing in snapshot.MissingKinds)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", missing.Kind);
            writer.WriteString("reason", missing.Reason);
            if (missing.StatusCode is int code)
            {
                writer.WriteNumber("statusCode", code);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("objects");
        foreach (KubeObject item in snapshot.Objects)
        {
            JsonObject? redacted = redact?.Invoke(item);
            if (redacted is not null)
            {
                redactedObjects++;
            }

            KubeObjectJson.Write(writer, item, redacted);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return redactedObjects;
    }

    public static KubeSnapshot Read(byte[] bytes, string path, InputLimits limits)
    {
        byte[] json = bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b ? Decompress(bytes, path, limits) : bytes;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new SnapshotFormatException($"the saved snapshot is corrupt (malformed JSON at byte {ex.BytePositionInLine}): {ex.Message}", inner: ex);
        }

        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGet(FormatProperty, out JsonElement version) || version.ValueKind != JsonValueKind.Number)
        {
            throw new SnapshotFormatException("the file is compressed but is not a KubeSecurity saved snapshot (no format version)");
        }

        if (!version.TryGetInt32(out int formatVersion) || formatVersion != FormatVersion)
        {
            throw new SnapshotFormatException($"the saved snapshot has format version {version.GetRawText()}; this KubeSecurity reads version {FormatVersion}. Use the KubeSecurity version that wrote it, or export it again.", unsupported: true);
        }

        var objects = new List<KubeObject>();
        if (root.TryGet("objects", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement item in items.EnumerateArray())
            {
                index++;
                if (!KubeObject.TryCreate(item, $"{path}#{index}", out KubeObject? kubeObject, out string? problem))
                {
                    throw new SnapshotFormatException($"object {index} of the saved snapshot is not a Kubernetes object: {problem}");
                }

                objects.Add(kubeObject!);
            }
        }

        var missing = new List<MissingKind>();
        if (root.TryGet("missingKinds", out JsonElement missingKinds) && missingKinds.ValueKind == JsonValueKind.Array)
        {
            // An entry without a kind says nothing usable; skip it rather than invent one.
            foreach (JsonElement entry in missingKinds.EnumerateArray().Where(e => JsonRead.String(e, "kind") is not null))
            {
                int? code = entry.TryGet("statusCode", out JsonElement status) && status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out int parsed) ? parsed : null;
                missing.Add(new MissingKind(JsonRead.String(entry, "kind")!, JsonRead.String(entry, "reason") ?? string.Empty, code));
            }
        }

        DateTimeOffset collectedAt = DateTimeOffset.TryParse(JsonRead.String(root, "collectedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : File.GetLastWriteTimeUtc(path);
        bool redacted = root.TryGet("secretValuesRedacted", out JsonElement r) && r.ValueKind == JsonValueKind.True;
        return SnapshotAssembler.Build(SnapshotSource.Saved, JsonRead.String(root, "cluster"), JsonRead.String(root, "context"), JsonRead.String(root, "server"),
            collectedAt, objects, missing, JsonRead.Strings(root, "namespaceScope"), redacted, new[] { path }, out _, JsonRead.Strings(root, "inputProblems"));
    }

    private static byte[] Decompress(byte[] bytes, string path, InputLimits limits)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > limits.MaxFileBytes)
                {
                    throw new SnapshotFormatException($"{path} expands to more than {limits.MaxFileBytes:N0} bytes; refusing to read it");
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new SnapshotFormatException($"the saved snapshot is corrupt or truncated (gzip: {ex.Message})", inner: ex);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
