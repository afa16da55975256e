using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using KubeSecurity.Core.Redaction;

namespace KubeSecurity.Core.Manifests;

/// <summary>Options for <see cref="ManifestWriter"/>.</summary>
public sealed record ManifestWriteOptions
{
    /// <summary>Keep status, uid, resourceVersion, managedFields and other fields the server owns.</summary>
    public bool KeepServerFields { get; init; }

    /// <summary>Write Secret data as it is. Off by default: values are replaced by fingerprints.</summary>
    public bool IncludeSecretValues { get; init; }
}

/// <summary>
/// Writes objects as multi-document YAML that <c>kubectl apply -f</c> accepts. Strings that YAML
/// would read back as another type ("true", "0755", "1.10") are quoted, so the round trip is exact.
/// </summary>
public static partial class ManifestWriter
{
    private static readonly string[] ServerMetadata = { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds" };

    public static string ToYaml(IEnumerable<KubeObject> objects, ManifestWriteOptions? options = null)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(objects, writer, options);
        return writer.ToString();
    }

    public static void Write(IEnumerable<KubeObject> objects, TextWriter output, ManifestWriteOptions? options = null)
    {
        options ??= new ManifestWriteOptions();
        var emitter = new Emitter(output, bestIndent: 2, bestWidth: int.MaxValue);
        emitter.Emit(new StreamStart());
        foreach (KubeObject item in objects)
        {
            JsonObject node = Prepare(item, options);
            emitter.Emit(new DocumentStart(null, null, isImplicit: false));
            EmitNode(emitter, node);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
    }

    /// <summary>The object as it will be written: server fields dropped and secrets redacted per the options.</summary>
    public static JsonObject Prepare(KubeObject item, ManifestWriteOptions options)
    {
        JsonObject node = (!options.IncludeSecretValues ? SnapshotRedactor.Redact(item) : null) ?? KubeObjectJson.ToNode(item);
        node["apiVersion"] ??= item.ApiVersion;
        node["kind"] ??= item.Kind;
        if (!options.KeepServerFields)
        {
            node.Remove("status");
            if (node["metadata"] is JsonObject metadata)
            {
                foreach (string field in ServerMetadata)
                {
                    metadata.Remove(field);
                }

                if (metadata["annotations"] is JsonObject annotations)
                {
                    annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
                    if (annotations.Count == 0)
                    {
                        metadata.Remove("annotations");
                    }
                }
            }
        }

        // apiVersion and kind first, as people write manifests.
        var ordered = new JsonObject { ["apiVersion"] = node["apiVersion"]!.DeepClone(), ["kind"] = node["kind"]!.DeepClone() };
        foreach (KeyValuePair<string, JsonNode?> pair in node.ToList())
        {
            if (pair.Key is "apiVersion" or "kind")
            {
                continue;
            }

            node.Remove(pair.Key);
            ordered[pair.Key] = pair.Value;
        }

        return ordered;
    }

    private static void EmitNode(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (KeyValuePair<string, JsonNode?> pair in obj)
                {
                    EmitString(emitter, pair.Key);
                    EmitNode(emitter, pair.Value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (JsonNode? child in array)
                {
                    EmitNode(emitter, child);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        EmitString(emitter, value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                    case JsonValueKind.False:
                    case JsonValueKind.Number:
                        emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, true, false));
                        break;
                    default:
                        emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                        break;
                }

                break;
        }
    }

    private static void EmitString(IEmitter emitter, string text)
    {
        ScalarStyle style = text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\r', StringComparison.Ordinal) && !HasTrailingSpaceOnLine(text)
            ? ScalarStyle.Literal
            : ReadsAsOtherType(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }

    private static bool HasTrailingSpaceOnLine(string text) => text.Contains(" \n", StringComparison.Ordinal) || text.Contains("\t\n", StringComparison.Ordinal);

    /// <summary>True when the text, written plain, would be read back as null, a boolean or a number (YAML 1.1 or 1.2).</summary>
    private static bool ReadsAsOtherType(string text) => text.Length == 0 || NonString().IsMatch(text);

    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex NonString();
}
