using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// Turns YAML documents into JSON, resolving plain scalars by the YAML 1.2 core schema (as
/// Kubernetes tooling reads manifests). It streams the parser's events straight into a JSON
/// writer, keeping only the events of anchored nodes (to replay them for aliases), so a
/// 50,000-object `kind: List` document never sits in memory as events. Depth and alias expansion
/// are bounded so hostile input cannot exhaust memory or time.
/// </summary>
internal sealed partial class YamlJsonConverter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly InputLimits limits;

    public YamlJsonConverter(InputLimits limits) => this.limits = limits;

    /// <summary>
    /// Converts every non-empty document of a YAML stream into one JSON array (one element per
    /// document): one parser, one writer and one JsonDocument for the whole stream.
    /// </summary>
    /// <exception cref="YamlException">Malformed YAML.</exception>
    /// <exception cref="InputLimitException">A safety limit was exceeded.</exception>
    public JsonDocument ConvertStream(string streamText, out int documents)
    {
        try
        {
            return Convert(streamText, out documents);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's parser can end in an invalid state on some malformed input (an unclosed
            // flow sequence, for one) instead of throwing a YamlException: report it as malformed YAML.
            throw new YamlException(Mark.Empty, Mark.Empty, $"the YAML parser could not continue ({ex.Message})", ex);
        }
    }

    private JsonDocument Convert(string streamText, out int documents)
    {
        var parser = new Parser(new StringReader(streamText));
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, streamText.Length));
        documents = 0;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            while (parser.MoveNext())
            {
                if (parser.Current is not DocumentStart || !parser.MoveNext() || parser.Current is DocumentEnd)
                {
                    continue;
                }

                ParsingEvent root = parser.Current!;
                if (root is Scalar { Value.Length: 0, Style: ScalarStyle.Plain, Tag.IsEmpty: true, Anchor.IsEmpty: true })
                {
                    // A document of only comments: nothing to convert, and not counted.
                    continue;
                }

                // Anchors are scoped to their document.
                var live = new LiveEvents(parser);
                WriteNode(writer, new DocumentState(), live, root, 0);
                documents++;
            }

            writer.WriteEndArray();
        }

        // The depth allowance covers the array wrapping the documents.
        return JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = limits.MaxDepth + 8 });
    }

    /// <summary>Where a node's events come from: the parser, or a recorded anchor being replayed for an alias.</summary>
    private abstract class EventSource
    {
        public abstract ParsingEvent Next();
    }

    /// <summary>The parser's events; every anchored node being read is recorded for later aliases.</summary>
    private sealed class LiveEvents(IParser parser) : EventSource
    {
        public List<List<ParsingEvent>> Recordings { get; } = new();

        public override ParsingEvent Next()
        {
            if (!parser.MoveNext())
            {
                throw new YamlException("the document ended in the middle of a node");
            }

            ParsingEvent current = parser.Current!;
            foreach (List<ParsingEvent> recording in Recordings)
            {
                recording.Add(current);
            }

            return current;
        }
    }

    private sealed class ReplayedEvents(List<ParsingEvent> events) : EventSource
    {
        private int position;

        public override ParsingEvent Next() => events[position++];
    }

    private sealed class DocumentState
    {
        public Dictionary<string, List<ParsingEvent>> Anchors { get; } = new(StringComparer.Ordinal);

        /// <summary>Nodes written while expanding aliases: what a "billion laughs" document multiplies.</summary>
        public int AliasNodesWritten { get; set; }

        public int AliasDepth { get; set; }

        /// <summary>Scalar characters written while expanding aliases: what a large aliased scalar multiplies.</summary>
        public long AliasCharactersWritten { get; set; }

        private readonly List<KeySet> keySets = new();

        /// <summary>The (cleared) key set for a mapping at this depth: mappings at one depth are read one after another, so one set per depth serves them all.</summary>
        public KeySet KeysAt(int depth)
        {
            while (keySets.Count <= depth)
            {
                keySets.Add(new KeySet());
            }

            KeySet set = keySets[depth];
            set.Clear();
            return set;
        }
    }

    private void WriteNode(Utf8JsonWriter writer, DocumentState state, EventSource source, ParsingEvent current, int depth)
    {
        if (depth > limits.MaxDepth)
        {
            throw new InputLimitException($"the document nests deeper than {limits.MaxDepth} levels");
        }

        if (state.AliasDepth > 0 && ++state.AliasNodesWritten > limits.MaxAliasExpandedNodes)
        {
            throw new InputLimitException($"the document expands to more than {limits.MaxAliasExpandedNodes:N0} nodes through aliases");
        }

        // Record an anchored node while it is read, so aliases to it can replay it. An anchor is
        // usable only once its node is complete, which also rules out self-referencing aliases.
        List<ParsingEvent>? recording = null;
        if (source is LiveEvents live && current is NodeEvent { Anchor.IsEmpty: false })
        {
            recording = new List<ParsingEvent> { current };
            live.Recordings.Add(recording);
        }

        switch (current)
        {
            case Scalar scalar:
                if (state.AliasDepth > 0 && (state.AliasCharactersWritten += scalar.Value.Length) > limits.MaxAliasExpandedCharacters)
                {
                    throw new InputLimitException($"the document expands to more than {limits.MaxAliasExpandedCharacters:N0} characters through aliases");
                }

                WriteScalar(writer, scalar);
                break;
            case AnchorAlias alias:
                if (!state.Anchors.TryGetValue(alias.Value.Value, out List<ParsingEvent>? anchored))
                {
                    throw new YamlException(alias.Start, alias.End, $"the alias '*{alias.Value.Value}' refers to no anchor");
                }

                var replay = new ReplayedEvents(anchored);
                state.AliasDepth++;
                WriteNode(writer, state, replay, replay.Next(), depth + 1);
                state.AliasDepth--;
                break;
            case SequenceStart:
                writer.WriteStartArray();
                for (ParsingEvent item = source.Next(); item is not SequenceEnd; item = source.Next())
                {
                    WriteNode(writer, state, source, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case MappingStart:
                writer.WriteStartObject();
                KeySet seen = state.KeysAt(depth);
                for (ParsingEvent key = source.Next(); key is not MappingEnd; key = source.Next())
                {
                    string name = KeyText(state, source, key);
                    if (!seen.Add(name))
                    {
                        // kubectl's strict decoding rejects it too: which of the two values counts is ambiguous
                        // (privileged: true then privileged: false would hide a privileged container).
                        throw new YamlException(key.Start, key.End, $"the key '{name}' appears twice in one mapping");
                    }

                    writer.WritePropertyName(name);
                    WriteNode(writer, state, source, source.Next(), depth + 1);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }

        if (recording is not null)
        {
            LiveEvents owner = (LiveEvents)source;
            owner.Recordings.Remove(recording);
            state.Anchors[((NodeEvent)current).Anchor.Value] = recording;
        }
    }

    /// <summary>The keys of one mapping: a short list scanned linearly (most mappings are small), a set beyond that.</summary>
    private sealed class KeySet
    {
        private readonly List<string> few = new(8);
        private readonly HashSet<string> many = new(StringComparer.Ordinal);
        private bool large;

        public void Clear()
        {
            few.Clear();
            if (large)
            {
                many.Clear();
                large = false;
            }
        }

        public bool Add(string key)
        {
            if (large)
            {
                return many.Add(key);
            }

            foreach (string known in few)
            {
                if (string.Equals(known, key, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            few.Add(key);
            if (few.Count > 16)
            {
                many.UnionWith(few);
                large = true;
            }

            return true;
        }
    }

    private static string KeyText(DocumentState state, EventSource source, ParsingEvent key)
    {
        if (key is AnchorAlias alias && state.Anchors.TryGetValue(alias.Value.Value, out List<ParsingEvent>? anchored) && anchored.Count == 1)
        {
            key = anchored[0];
        }
        else if (key is Scalar { Anchor.IsEmpty: false } anchoredKey && source is LiveEvents)
        {
            state.Anchors[anchoredKey.Anchor.Value] = new List<ParsingEvent> { anchoredKey };
        }

        return key is Scalar scalar
            ? scalar.Value
            : throw new YamlException(key.Start, key.End, "mapping keys must be scalars to convert to JSON");
    }

    private static void WriteScalar(Utf8JsonWriter writer, Scalar scalar)
    {
        string value = scalar.Value;
        bool explicitString = !scalar.Tag.IsEmpty && scalar.Tag.Value is "tag:yaml.org,2002:str" or "tag:yaml.org,2002:binary" or "!";
        if (scalar.Style != ScalarStyle.Plain || explicitString)
        {
            writer.WriteStringValue(value);
            return;
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }

        char first = value[0];
        if (char.IsAsciiDigit(first) || first is '-' or '+' or '.')
        {
            if (JsonInteger().IsMatch(value))
            {
                // Already valid JSON: keep the exact text (large integers stay exact).
                writer.WriteRawValue(value, skipInputValidation: true);
                return;
            }

            if (YamlInteger().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                writer.WriteNumberValue(integer);
                return;
            }

            if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long hex))
            {
                writer.WriteNumberValue(hex);
                return;
            }

            if (value.StartsWith("0o", StringComparison.Ordinal) && value.Length > 2 && value.AsSpan(2).IndexOfAnyExcept(OctalDigits) < 0)
            {
                writer.WriteNumberValue(System.Convert.ToInt64(value[2..], 8));
                return;
            }

            if (YamlFloat().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real))
            {
                if (JsonFloat().IsMatch(value))
                {
                    writer.WriteRawValue(value, skipInputValidation: true);
                }
                else
                {
                    writer.WriteNumberValue(real);
                }

                return;
            }
        }

        writer.WriteStringValue(value);
    }

    private static readonly System.Buffers.SearchValues<char> OctalDigits = System.Buffers.SearchValues.Create("01234567");

    [GeneratedRegex("^-?(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonInteger();

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonFloat();
}

/// <summary>Input exceeded one of <see cref="InputLimits"/>.</summary>
public sealed class InputLimitException : Exception
{
    public InputLimitException(string message) : base(message) { }
    public InputLimitException() { }
    public InputLimitException(string message, Exception inner) : base(message, inner) { }
}
