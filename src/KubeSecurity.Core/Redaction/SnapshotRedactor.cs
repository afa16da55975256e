using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Credentials;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Redaction;

/// <summary>
/// Replaces secret values with <see cref="RedactedValue"/> stand-ins before objects leave the
/// engine (saved snapshots, exported manifests, remediation backups): every Secret data/stringData
/// value and a Secret's last-applied-configuration annotation (which repeats its data); and, in any
/// object, every value that the credential leak scanner would flag, found by the same recogniser
/// (<see cref="CredentialDetector"/>) in the same places: ConfigMap data, container environment
/// values, command lines and annotations. Key names stay, so analyses still see what is there.
/// </summary>
public static class SnapshotRedactor
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";
    private static readonly CredentialDetector Detector = new();
    private static readonly string[] ContainerLists = { "initContainers", "containers", "ephemeralContainers" };

    /// <summary>Returns the object's JSON with secret values redacted, or null when nothing needed to change.</summary>
    public static JsonObject? Redact(KubeObject item)
    {
        bool core = item.ApiGroup.Length == 0;
        bool secret = core && item.Kind == "Secret";
        bool configMap = core && item.Kind == "ConfigMap";
        bool podTemplate = ((core && item.Kind == "Pod") || WorkloadKinds.All.Contains(item.Kind)) && ContainersHoldCredential(item);
        if (!secret && !configMap && !podTemplate && !HasFlaggedAnnotation(item))
        {
            return null;
        }

        if (KubeObjectJson.ToNode(item) is not JsonObject node)
        {
            return null;
        }

        bool changed = false;
        if (secret)
        {
            // Public certificates (tls.crt, ca.crt) are not secret and certificate audits need them.
            changed |= RedactMap(node["data"] as JsonObject, base64: true, pair => !IsOnlyCertificates(DecodeOrRaw(pair.Value)));
            changed |= RedactMap(node["stringData"] as JsonObject, base64: false, pair => !IsOnlyCertificates(Encoding.UTF8.GetBytes(pair.Value)));
            if (node["metadata"]?["annotations"] is JsonObject annotations && annotations[LastApplied] is JsonValue applied)
            {
                annotations[LastApplied] = RedactedValue.Format(Encoding.UTF8.GetBytes(applied.ToString()));
                changed = true;
            }
        }
        else if (configMap)
        {
            changed |= RedactMap(node["data"] as JsonObject, base64: false, pair => Flags(pair.Key, pair.Value));
            // binaryData values are base64 already: redacted when they hold key material (a .p12, a base64 PEM key).
            changed |= RedactMap(node["binaryData"] as JsonObject, base64: false, pair => !RedactedValue.IsRedacted(pair.Value) && CredentialDetector.ScanBinary(pair.Value).Count > 0);
        }

        if (podTemplate && Navigate(node, WorkloadKinds.PodSpecPath(item.Kind)) is JsonObject spec)
        {
            changed |= RedactContainers(spec);
        }

        // A Secret's other annotations too: a note like "password=..." is as exposed there as anywhere.
        if (node["metadata"]?["annotations"] is JsonObject others)
        {
            changed |= RedactMap(others, base64: false, pair => pair.Key == LastApplied ? LastAppliedHoldsCredential(pair.Value) : Flags(pair.Key, pair.Value));
        }

        return changed ? node : null;
    }

    /// <summary>True when the scanner's recogniser finds a credential in the value under this key.</summary>
    public static bool Flags(string key, string value) => !RedactedValue.IsRedacted(value) && Detector.Scan(key, value).Count > 0;

    private static bool HasFlaggedAnnotation(KubeObject item) =>
        item.Annotations.Any(a => a.Key == LastApplied ? LastAppliedHoldsCredential(a.Value) : Flags(a.Key, a.Value));

    // A read-only look first, so the common pod with nothing to redact costs no mutable copy.
    private static bool ContainersHoldCredential(KubeObject item)
    {
        JsonElement spec = item.Json;
        foreach (string part in WorkloadKinds.PodSpecPath(item.Kind).Split('.'))
        {
            if (spec.ValueKind != JsonValueKind.Object || !spec.TryGet(part, out spec))
            {
                return false;
            }
        }

        foreach (string list in ContainerLists)
        {
            if (spec.ValueKind != JsonValueKind.Object || !spec.TryGet(list, out JsonElement containers) || containers.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement container in containers.EnumerateArray())
            {
                if (container.TryGet("env"u8, out JsonElement env) && env.ValueKind == JsonValueKind.Array
                    && env.EnumerateArray().Any(v => JsonRead.String(v, "name") is string name && JsonRead.String(v, "value") is string value && Flags(name, value)))
                {
                    return true;
                }

                foreach (string field in new[] { "command", "args" })
                {
                    List<string> words = JsonRead.Strings(container, field);
                    if (words.Count > 0 && Detector.Scan(field, string.Join(" ", words)).Count > 0)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool RedactContainers(JsonObject spec)
    {
        bool changed = false;
        foreach (string list in ContainerLists)
        {
            if (spec[list] is not JsonArray containers)
            {
                continue;
            }

            foreach (JsonObject container in containers.OfType<JsonObject>())
            {
                if (container["env"] is JsonArray env)
                {
                    foreach (JsonObject variable in env.OfType<JsonObject>())
                    {
                        if (variable["name"] is JsonValue name && variable["value"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
                            && Flags(name.ToString(), value.GetValue<string>()))
                        {
                            variable["value"] = RedactedValue.Format(Encoding.UTF8.GetBytes(value.GetValue<string>()));
                            changed = true;
                        }
                    }
                }

                foreach (string field in new[] { "command", "args" })
                {
                    if (container[field] is JsonArray words)
                    {
                        changed |= RedactWords(field, words);
                    }
                }
            }
        }

        return changed;
    }

    // The scanner reads a command line as its words joined by spaces; redact each word a match touches.
    private static bool RedactWords(string field, JsonArray words)
    {
        List<string?> texts = words.Select(w => w is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null).ToList();
        string line = string.Join(" ", texts.Select(t => t ?? string.Empty));
        List<CredentialMatch> matches = RedactedValue.IsRedacted(line) ? new() : Detector.Scan(field, line);
        if (matches.Count == 0)
        {
            return false;
        }

        bool changed = false;
        int start = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            string text = texts[i] ?? string.Empty;
            int end = start + text.Length;
            if (texts[i] is not null && !RedactedValue.IsRedacted(text) && matches.Any(m => m.Index < end && m.Index + m.Length > start))
            {
                words[i] = RedactedValue.Format(Encoding.UTF8.GetBytes(text));
                changed = true;
            }

            start = end + 1;
        }

        return changed;
    }

    // kubectl's copy of a non-Secret object: any string inside that the recogniser flags.
    private static bool LastAppliedHoldsCredential(string value)
    {
        if (RedactedValue.IsRedacted(value))
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 64 });
            return AnyFlagged(document.RootElement, string.Empty);
        }
        catch (JsonException)
        {
            return Flags(LastApplied, value);
        }
    }

    private static bool AnyFlagged(JsonElement element, string key) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p => AnyFlagged(p.Value,
            p.Name == "value" && element.TryGet("name"u8, out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.AsString()! : p.Name)),
        JsonValueKind.Array => element.EnumerateArray().Any(e => AnyFlagged(e, key)),
        JsonValueKind.String => Flags(key, element.AsString()!),
        _ => false,
    };

    private static JsonNode? Navigate(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (string part in path.Split('.'))
        {
            current = current?[part];
        }

        return current;
    }

    private static bool RedactMap(JsonObject? map, bool base64, Func<KeyValuePair<string, string>, bool> shouldRedact)
    {
        if (map is null)
        {
            return false;
        }

        bool changed = false;
        foreach (string key in map.Select(p => p.Key).ToList())
        {
            if (map[key] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                continue;
            }

            string text = value.GetValue<string>();
            if (RedactedValue.IsRedacted(text) || !shouldRedact(new KeyValuePair<string, string>(key, text)))
            {
                continue;
            }

            map[key] = RedactedValue.Format(base64 ? DecodeOrRaw(text) : Encoding.UTF8.GetBytes(text));
            changed = true;
        }

        return changed;
    }

    /// <summary>True when every PEM block in the value is a certificate (so no key can hide in it).</summary>
    private static bool IsOnlyCertificates(byte[] value)
    {
        string text = Encoding.ASCII.GetString(value);
        int blocks = Occurrences(text, "-----BEGIN ");
        return blocks > 0 && blocks == Occurrences(text, "-----BEGIN CERTIFICATE-----") && !text.Contains("PRIVATE KEY", StringComparison.Ordinal);
    }

    private static int Occurrences(string text, string marker)
    {
        int count = 0;
        for (int at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static byte[] DecodeOrRaw(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return Encoding.UTF8.GetBytes(text);
        }
    }
}
