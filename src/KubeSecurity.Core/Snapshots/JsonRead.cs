using System.Buffers;
using System.Text.Json;

namespace KubeSecurity.Core.Snapshots;

/// <summary>Tolerant reads of JSON the module did not write itself: a wrong shape yields nothing, never an exception.</summary>
internal static class JsonRead
{
    public static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static List<string> Strings(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : new List<string>();

    /// <summary>A property's value, or an undefined element when the object lacks it or is not an object.</summary>
    public static JsonElement Property(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement value) ? value : default;

    /// <summary>The elements of an array property; empty when it is missing or not an array.</summary>
    public static List<JsonElement> Array(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().ToList()
            : new List<JsonElement>();

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? scratch;

    [ThreadStatic]
    private static Utf8JsonWriter? scratchWriter;

    // Relaxed: '+' and '/' of base64 text come out as themselves, so markers can be searched in it.
    private static readonly JsonWriterOptions ScratchOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A JSON string value as UTF-8 (without its quotes), written into a reused per-thread buffer
    /// rather than a UTF-16 string: ConfigMaps and Secrets hold megabytes, and most values are looked
    /// at only to be passed over. Valid until the next call on the same thread; quotes and
    /// backslashes in the value come out escaped. Empty for a value that is not a string.
    /// </summary>
    public static ReadOnlySpan<byte> StringUtf8(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return ReadOnlySpan<byte>.Empty;
        }

        scratch ??= new ArrayBufferWriter<byte>(4096);
        scratch.ResetWrittenCount();
        if (scratchWriter is null)
        {
            scratchWriter = new Utf8JsonWriter(scratch, ScratchOptions);
        }
        else
        {
            scratchWriter.Reset(scratch);
        }

        value.WriteTo(scratchWriter);
        scratchWriter.Flush();
        ReadOnlySpan<byte> written = scratch.WrittenSpan;
        return written.Length >= 2 ? written[1..^1] : ReadOnlySpan<byte>.Empty;
    }

    /// <summary>Whether a JSON string value contains an ASCII marker (letters, digits, spaces, '-', '+', '/'), without making a string of it.</summary>
    public static bool StringContains(JsonElement value, ReadOnlySpan<byte> marker) => StringUtf8(value).IndexOf(marker) >= 0;
}
