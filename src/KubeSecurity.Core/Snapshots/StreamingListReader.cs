using System.Buffers;
using System.Text;
using System.Text.Json;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// Reads a large JSON list file (<c>kubectl get -A -o json</c>, a typed list from the API) item by
/// item from a window of the file, so the whole file is never in memory as one document. Secrets'
/// and ConfigMaps' bodies (nearly all of a dump's bytes) stay in the file: their objects hold an
/// outline and read the body back when an analysis needs the values (see <see cref="DetachedBody"/>).
/// Anything this reader does not take as it is (not a list, malformed, comments, bad UTF-8, too
/// deep) makes it give up without a trace, and the whole-file reader decides and reports.
/// </summary>
internal static class StreamingListReader
{
    private const int InitialWindow = 4 << 20;

    // The reader already held the file to the configured depth.
    private static readonly JsonDocumentOptions ItemOptions = new() { MaxDepth = 1024 };

    private static readonly string[] PayloadFields = { "data", "binaryData", "stringData" };

    // Wrapped already when the item names its own kind and apiVersion (a list's fallbacks cannot change it then).
    private readonly record struct Item(JsonElement Json, DetachedBody? Body, KubeObject? Wrapped);

    private enum Phase { Root, Properties, Items, End }

    private enum Outcome { NeedMore, Done, Refused }

    private sealed class ListState
    {
        public Phase Phase;
        public string? Kind;
        public string? ApiVersion;
        public int ItemsProperties;
        public required int DetachOver { get; init; }

        public required string Origin { get; init; }

        public readonly List<Item> Items = new();

        // The window's objects that stay whole, gathered to be parsed as one document (reused per window).
        public readonly ArrayBufferWriter<byte> Batch = new(BatchBytes + (BatchBytes >> 2));

        // Items found in the current window, taken (parsed) together before the window moves.
        public readonly List<(int Start, int Length, int Index)> Pending = new();
    }

    public static bool TryRead(string path, InputLimits limits, ManifestReadResult result)
    {
        var list = new ListState { DetachOver = limits.DetachBodiesOver, Origin = path };
        FileBodySource source;
        try
        {
            source = new FileBodySource(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }

        bool taken = false;
        // Not from the shared pool, which would keep it for the rest of the process: it is one buffer per file.
        byte[] window = GC.AllocateUninitializedArray<byte>(InitialWindow);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            bool end = false;
            int filled = Fill(stream, window, 0, ref end);
            if (SnapshotFile.IsSnapshot(window.AsSpan(0, filled)))
            {
                return false;
            }

            int position = window.AsSpan(0, filled).StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            long windowOffset = 0;
            var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = limits.MaxDepth });
            while (true)
            {
                var reader = new Utf8JsonReader(window.AsSpan(position, filled - position), end, state);
                Outcome outcome = Step(ref reader, list, position, out int consumed, out state);
                if (outcome == Outcome.Refused)
                {
                    return false;
                }

                TakePending(list, window, windowOffset, source);

                // Everything consumed ends at a token boundary (never inside a UTF-8 sequence): check it once, as it leaves the window.
                if (!System.Text.Unicode.Utf8.IsValid(window.AsSpan(position, consumed)))
                {
                    return false;
                }

                position += consumed;
                if (outcome == Outcome.Done)
                {
                    taken = Commit(list, path, result);
                    return taken;
                }

                if (end)
                {
                    return false; // the file ends inside a value
                }

                int kept = filled - position;
                if (position == 0 && kept == window.Length)
                {
                    // One item larger than the window: widen it.
                    byte[] wider = GC.AllocateUninitializedArray<byte>(window.Length * 2);
                    window.AsSpan(0, kept).CopyTo(wider);
                    window = wider;
                }
                else
                {
                    window.AsSpan(position, kept).CopyTo(window);
                }

                windowOffset += position;
                position = 0;
                filled = Fill(stream, window, kept, ref end);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or AggregateException)
        {
            return false;
        }
        finally
        {
            if (!taken || !list.Items.Exists(i => i.Body is not null))
            {
                source.Dispose();
            }
        }
    }

    private static int Fill(Stream stream, byte[] window, int filled, ref bool end)
    {
        while (filled < window.Length && !end)
        {
            int read = stream.Read(window, filled, window.Length - filled);
            if (read == 0)
            {
                end = true;
            }

            filled += read;
        }

        return filled;
    }

    /// <summary>
    /// Reads as far as the window allows. <paramref name="consumed"/> and <paramref name="resume"/>
    /// always stop before a token or item that was not complete, so the next window starts on it.
    /// </summary>
    private static Outcome Step(ref Utf8JsonReader reader, ListState list, int position, out int consumed, out JsonReaderState resume)
    {
        while (true)
        {
            consumed = (int)reader.BytesConsumed;
            resume = reader.CurrentState;
            switch (list.Phase)
            {
                case Phase.Root:
                    if (!reader.Read())
                    {
                        return Outcome.NeedMore;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return Outcome.Refused;
                    }

                    list.Phase = Phase.Properties;
                    break;

                case Phase.Properties:
                    if (!reader.Read())
                    {
                        return Outcome.NeedMore;
                    }

                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        list.Phase = Phase.End;
                        break;
                    }

                    bool isItems = reader.ValueTextEquals("items"u8), isKind = reader.ValueTextEquals("kind"u8), isApiVersion = reader.ValueTextEquals("apiVersion"u8);
                    if (!reader.Read())
                    {
                        return Outcome.NeedMore;
                    }

                    if (isItems)
                    {
                        list.ItemsProperties++;
                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            list.Phase = Phase.Items;
                        }
                        else if (reader.TokenType != JsonTokenType.Null)
                        {
                            return Outcome.Refused;
                        }
                    }
                    else if (isKind || isApiVersion)
                    {
                        // Only plain strings are taken; anything else is for the whole-file reader to describe.
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return Outcome.Refused;
                        }

                        string value = reader.GetString()!;
                        if (isKind)
                        {
                            list.Kind = value;
                        }
                        else
                        {
                            list.ApiVersion = value;
                        }
                    }
                    else if (!reader.TrySkip())
                    {
                        return Outcome.NeedMore;
                    }

                    break;

                case Phase.Items:
                    if (!reader.Read())
                    {
                        return Outcome.NeedMore;
                    }

                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        list.Phase = Phase.Properties;
                        break;
                    }

                    int start = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        return Outcome.NeedMore;
                    }

                    int length = (int)reader.BytesConsumed - start;
                    list.Pending.Add((position + start, length, list.Items.Count));
                    list.Items.Add(default);
                    break;

                default:
                    if (reader.Read())
                    {
                        return Outcome.Refused; // a second value after the list
                    }

                    consumed = (int)reader.BytesConsumed;
                    return reader.IsFinalBlock ? Outcome.Done : Outcome.NeedMore;
            }
        }
    }

    // Parsing and copying items is most of the reading: a window's items are taken on all cores.
    private static void TakePending(ListState list, byte[] window, long windowOffset, DetachedBodySource source)
    {
        List<(int Start, int Length, int Index)> pending = list.Pending;

        // Secrets and ConfigMaps worth detaching, each on its own (their outlines are built from a parse).
        void Detach(int i)
        {
            (int start, int length, int index) = pending[i];
            if (TakeDetached(window.AsMemory(start, length), windowOffset + start, source, list.DetachOver, list.Origin) is Item item)
            {
                list.Items[index] = item;
            }
        }

        if (pending.Count < 16)
        {
            for (int i = 0; i < pending.Count; i++)
            {
                Detach(i);
            }
        }
        else
        {
            Parallel.For(0, pending.Count, Detach);
        }

        // Everything else in documents of up to BatchBytes: one parse of many objects instead of one per
        // object (a cold process spends more warming up per-object calls than parsing), and objects
        // that share a document cost the GC far less than one document each.
        ArrayBufferWriter<byte> batch = list.Batch;
        batch.ResetWrittenCount();
        var kept = new List<int>();
        foreach ((int start, int length, int index) in pending)
        {
            if (list.Items[index].Json.ValueKind == JsonValueKind.Undefined)
            {
                if (kept.Count > 0 && batch.WrittenCount + length > BatchBytes)
                {
                    ParseBatch(list, kept);
                }

                batch.Write(kept.Count == 0 ? "["u8 : ","u8);
                batch.Write(window.AsSpan(start, length));
                kept.Add(index);
            }
        }

        if (kept.Count > 0)
        {
            ParseBatch(list, kept);
        }

        pending.Clear();
    }

    // The parser rents its working memory from the shared pool at about the document's size and
    // leaves it there: documents of a whole window left megabytes pooled for the rest of the process.
    private const int BatchBytes = 256 << 10;

    private static void ParseBatch(ListState list, List<int> kept)
    {
        ArrayBufferWriter<byte> batch = list.Batch;
        batch.Write("]"u8);
        var reader = new Utf8JsonReader(batch.WrittenSpan, new JsonReaderOptions { MaxDepth = ItemOptions.MaxDepth });
        JsonElement items = JsonElement.ParseValue(ref reader);
        int k = 0;
        foreach (JsonElement item in items.EnumerateArray())
        {
            list.Items[kept[k++]] = new Item(item, null, Wrap(item, null, list.Origin));
        }

        kept.Clear();
        batch.ResetWrittenCount();
    }

    // A Secret's or ConfigMap's outline, its body left in the file; null for any other item.
    private static Item? TakeDetached(ReadOnlyMemory<byte> bytes, long fileOffset, DetachedBodySource source, int detachOver, string origin)
    {
        // Only an item that names a payload field can be a Secret or ConfigMap worth detaching: the byte
        // probe spares parsing the rest (an escaped field name only means the item stays whole).
        ReadOnlySpan<byte> span = bytes.Span;
        if (bytes.Length < detachOver || (span.IndexOf("\"data\""u8) < 0 && span.IndexOf("Data\""u8) < 0))
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(bytes, ItemOptions);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !HoldsPayload(root, out string description))
        {
            return null;
        }

        // Certificate searches look for PEM markers in values (plain, or in base64 at any alignment) and
        // decode escaped values; an object whose bytes show neither anywhere need not be read for them.
        bool mayHoldCertificates = span.IndexOf((byte)'\\') >= 0 || span.IndexOf("-----BEGIN "u8) >= 0 || PemMarkers.MayHoldPemInBase64(span);
        JsonElement outline = Outline(root);
        var body = new DetachedBody(source, fileOffset, span, description, mayHoldCertificates);
        return new Item(outline, body, Wrap(outline, body, origin));
    }

    // Without the list's fallbacks: an item that does not name its own kind and apiVersion waits for Commit.
    private static KubeObject? Wrap(JsonElement json, DetachedBody? body, string origin) =>
        KubeObject.TryCreate(json, origin, null, null, body, out KubeObject? created, out _) ? created : null;

    // Secrets and ConfigMaps of the core group, or items of a typed list that does not name their kind.
    private static bool HoldsPayload(JsonElement item, out string description)
    {
        string? kind = JsonRead.String(item, "kind");
        string? apiVersion = JsonRead.String(item, "apiVersion");
        description = string.Empty;
        if (kind is not (null or "Secret" or "ConfigMap") || apiVersion is not (null or "v1"))
        {
            return false;
        }

        bool payload = false;
        foreach (string field in PayloadFields)
        {
            payload |= item.TryGet(field, out JsonElement map) && map.ValueKind == JsonValueKind.Object;
        }

        item.TryGet("metadata"u8, out JsonElement metadata);
        string? ns = metadata.ValueKind == JsonValueKind.Object ? JsonRead.String(metadata, "namespace") : null;
        string? name = metadata.ValueKind == JsonValueKind.Object ? JsonRead.String(metadata, "name") : null;
        description = $"{kind ?? "the item"} {(ns is null ? string.Empty : ns + "/")}{name}";
        return payload;
    }

    // The object as it is, except that each payload value becomes null: key names stay readable.
    private static JsonElement Outline(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && IsPayloadField(property))
                {
                    writer.WritePropertyName(property.Name);
                    writer.WriteStartObject();
                    foreach (JsonProperty entry in property.Value.EnumerateObject())
                    {
                        writer.WriteNull(entry.Name);
                    }

                    writer.WriteEndObject();
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    private static bool IsPayloadField(JsonProperty property)
    {
        foreach (string field in PayloadFields)
        {
            if (property.NameEquals(field))
            {
                return true;
            }
        }

        return false;
    }

    // The list is whole: wrap its items as the whole-file reader would (same origins, fallbacks and problems).
    private static bool Commit(ListState list, string path, ManifestReadResult result)
    {
        if (list.Kind is not string kind || !kind.EndsWith("List", StringComparison.Ordinal) || list.ItemsProperties != 1)
        {
            return false;
        }

        string? itemKind = kind == "List" ? null : kind[..^4];
        string? apiVersion = kind == "List" ? null : list.ApiVersion;
        result.Objects.EnsureCapacity(result.Objects.Count + list.Items.Count);
        for (int i = 0; i < list.Items.Count; i++)
        {
            Item item = list.Items[i];
            if (item.Wrapped is KubeObject wrapped)
            {
                result.Objects.Add(wrapped);
                continue;
            }

            if (KubeObject.TryCreate(item.Json, path, apiVersion, itemKind, item.Body, out KubeObject? created, out string? problem))
            {
                result.Objects.Add(created!);
            }
            else
            {
                result.Problems.Add(ManifestReader.ListItemProblem(path, null, i, problem));
            }
        }

        return true;
    }
}
