using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// Replaces secret values with <see cref="RedactedValue"/> stand-ins: every Secret data/stringData
/// value, a Secret's last-applied-configuration annotation (which repeats its data), and ConfigMap
/// values that look like credentials. Key names stay so analyses still see what is there.
/// </summary>
public static class SnapshotRedactor
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Returns the object's JSON with secret values redacted, or null when nothing needed to change.</summary>
    public static JsonObject? Redact(KubeObject item)
    {
        bool secret = item.Kind == "Secret" && item.ApiGroup.Length == 0;
        bool configMap = item.Kind == "ConfigMap" && item.ApiGroup.Length == 0;
        if (!secret && !configMap)
        {
            return null;
        }

        JsonObject? node = JsonNode.Parse(item.Json.GetRawText()) as JsonObject;
        if (node is null)
        {
            return null;
        }

        bool changed = false;
        if (secret)
        {
            changed |= RedactMap(node["data"] as JsonObject, base64: true, _ => true);
            changed |= RedactMap(node["stringData"] as JsonObject, base64: false, _ => true);
            if (node["metadata"]?["annotations"] is JsonObject annotations && annotations[LastApplied] is JsonValue applied)
            {
                annotations[LastApplied] = RedactedValue.Format(Encoding.UTF8.GetBytes(applied.ToString()));
                changed = true;
            }
        }
        else
        {
            changed |= RedactMap(node["data"] as JsonObject, base64: false, pair => CredentialPatterns.LooksLikeCredential(pair.Key, pair.Value));
        }

        return changed ? node : null;
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
