using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// Turns one YAML document into JSON, resolving plain scalars by the YAML 1.2 core schema
/// (as Kubernetes tooling reads manifests). Works on the parser's event stream rather than an
/// object graph, so it is cheap, and bounds depth and alias expansion so hostile input cannot
/// exhaust memory.
/// </summary>
internal sealed partial class YamlJsonConverter
{
    private readonly InputLimits limits;

    public YamlJsonConverter(InputLimits limits) => this.limits = limits;

    /// <summary>
    /// Converts every document of a YAML stream into one JSON array (one element per document):
    /// one parser, one writer and one JsonDocument for many documents.
    /// </summary>
    /// <exception cref="YamlException">Malformed YAML.</exception>
    /// <exception cref="InputLimitException">A safety limit was exceeded.</exception>
    public JsonDocument ConvertStream(string streamText, out int documents)
    {
        var parser = new Parser(new StringReader(streamText));
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, streamText.Length));
        var events = new List<ParsingEvent>(256);
        documents = 0;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            while (parser.MoveNext())
            {
                if (parser.Current is not DocumentStart)
                {
                    continue;
                }

                // Anchors are scoped to their document, so each document gets its own event list and state.
                events.Clear();
                while (parser.MoveNext() && parser.Current is not DocumentEnd)
                {
                    events.Add(parser.Current!);
                }

                if (events.Count == 0)
                {
                    continue;
                }

                int index = 0;
                WriteNode(writer, new WriteState(events), ref index, 0);
                documents++;
            }

            writer.WriteEndArray();
        }

        // Item lookups in the array are positional; the depth allowance covers the array itself.
        return JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = limits.MaxDepth + 8 });
    }

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed class WriteState(List<ParsingEvent> events)
    {
        public List<ParsingEvent> Events { get; } = events;
        public Dictionary<string, int> Anchors { get; } = new(StringComparer.Ordinal);

        /// <summary>Nodes written while expanding aliases: what a "billion laughs" document multiplies.</summary>
        public int AliasNodesWritten { get; set; }

        public int AliasDepth { get; set; }
    }

    private void WriteNode(Utf8JsonWriter writer, WriteState state, ref int index, int depth)
    {
        if (depth > limits.MaxDepth)
        {
            throw new InputLimitException($"the document nests deeper than {limits.MaxDepth} levels");
        }

        if (state.AliasDepth > 0 && ++state.AliasNodesWritten > limits.MaxAliasExpandedNodes)
        {
            throw new InputLimitException($"the document expands to more than {limits.MaxAliasExpandedNodes:N0} nodes through aliases");
        }

        ParsingEvent current = state.Events[index];
        if (current is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            state.Anchors[anchored.Anchor.Value] = index;
        }

        switch (current)
        {
            case Scalar scalar:
                index++;
                WriteScalar(writer, scalar);
                return;
            case AnchorAlias alias:
                index++;
                if (!state.Anchors.TryGetValue(alias.Value.Value, out int target))
                {
                    throw new YamlException(alias.Start, alias.End, $"the alias '*{alias.Value.Value}' refers to no anchor");
                }

                state.AliasDepth++;
                WriteNode(writer, state, ref target, depth + 1);
                state.AliasDepth--;
                return;
            case SequenceStart:
                index++;
                writer.WriteStartArray();
                while (state.Events[index] is not SequenceEnd)
                {
                    WriteNode(writer, state, ref index, depth + 1);
                }

                index++;
                writer.WriteEndArray();
                return;
            case MappingStart:
                index++;
                writer.WriteStartObject();
                while (state.Events[index] is not MappingEnd)
                {
                    writer.WritePropertyName(ReadKey(state, ref index));
                    WriteNode(writer, state, ref index, depth + 1);
                }

                index++;
                writer.WriteEndObject();
                return;
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private static string ReadKey(WriteState state, ref int index)
    {
        ParsingEvent key = state.Events[index];
        if (key is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            state.Anchors[anchored.Anchor.Value] = index;
        }

        if (key is AnchorAlias alias && state.Anchors.TryGetValue(alias.Value.Value, out int target))
        {
            key = state.Events[target];
        }

        if (key is not Scalar scalar)
        {
            throw new YamlException(key.Start, key.End, "mapping keys must be scalars to convert to JSON");
        }

        index++;
        return scalar.Value;
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
