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
            // Public certificates (tls.crt, ca.crt) are not secret and certificate audits need them.
            changed |= RedactMap(node["data"] as JsonObject, base64: true, pair => !IsOnlyCertificates(DecodeOrRaw(pair.Value)));
            changed |= RedactMap(node["stringData"] as JsonObject, base64: false, pair => !IsOnlyCertificates(Encoding.UTF8.GetBytes(pair.Value)));
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
