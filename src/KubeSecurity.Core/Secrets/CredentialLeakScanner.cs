using System.Text;
using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;
using KubeSecurity.Core.Credentials;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Secrets;

/// <summary>What a leak scan found and what it could not look at.</summary>
public sealed class LeakScanResult
{
    public List<Finding> Findings { get; } = new();
    public List<string> Problems { get; } = new();

    /// <summary>Values the snapshot had redacted: their content was not scanned.</summary>
    public int RedactedValues { get; set; }
    public long BytesScanned { get; set; }
}

/// <summary>
/// Scans ConfigMaps, literal environment values, command lines and annotations (including the
/// last-applied-configuration kubectl leaves, which often holds a Secret's original data) for
/// credentials. Findings carry the location and a fingerprint of the match, never the value.
/// </summary>
public static class CredentialLeakScanner
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    public static LeakScanResult Scan(KubeSnapshot snapshot, CredentialDetector detector, CancellationToken cancellationToken = default)
    {
        var result = new LeakScanResult();
        var seen = new HashSet<(ResourceRef, string)>();
        foreach (KubeObject configMap in snapshot.OfKind("ConfigMap"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (configMap.Name == "kube-root-ca.crt")
            {
                continue; // the cluster CA bundle every namespace gets
            }

            using BodyLease body = configMap.OpenBody();
            if (body.Json.TryGet("data"u8, out JsonElement data) && data.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty entry in data.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.String)
                    {
                        Check(result, detector, seen, configMap, entry.Name, entry.Value.AsString()!, $"data.{entry.Name}", redactedMeansCredential: true);
                    }
                }
            }

            if (body.Json.TryGet("binaryData"u8, out JsonElement binary) && binary.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty entry in binary.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.String)
                    {
                        Check(result, detector, seen, configMap, entry.Name, entry.Value.AsString()!, $"binaryData.{entry.Name}", redactedMeansCredential: true, binary: true);
                    }
                }
            }
        }

        foreach (PodSpecSite site in PodSpecs.Find(snapshot))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach ((JsonElement container, string path, _) in site.Containers())
            {
                if (container.TryGet("env"u8, out JsonElement env) && env.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement variable in env.EnumerateArray())
                    {
                        if (Snapshots.JsonRead.String(variable, "name") is string name && Snapshots.JsonRead.String(variable, "value") is string value)
                        {
                            Check(result, detector, seen, site.Owner, name, value, $"{path}.env[{name}]", redactedMeansCredential: true);
                        }
                    }
                }

                foreach (string field in new[] { "command", "args" })
                {
                    List<string> words = Snapshots.JsonRead.Strings(container, field);
                    // A saved snapshot redacts the words of a command line that hold a credential.
                    foreach (string redacted in words.Where(RedactedValue.IsRedacted))
                    {
                        Check(result, detector, seen, site.Owner, field, redacted, $"{path}.{field}", redactedMeansCredential: true);
                    }

                    if (words.Count > 0)
                    {
                        Check(result, detector, seen, site.Owner, field, string.Join(" ", words.Where(w => !RedactedValue.IsRedacted(w))), $"{path}.{field}", redactedMeansCredential: false);
                    }
                }
            }
        }

        foreach (KubeObject item in snapshot.Objects)
        {
            foreach ((string name, string value) in item.Annotations)
            {
                if (name == LastApplied)
                {
                    LastAppliedConfiguration(result, detector, seen, item, value);
                }
                else
                {
                    Check(result, detector, seen, item, name, value, $"metadata.annotations[{name}]", redactedMeansCredential: true);
                }
            }
        }

        return result;
    }

    private static void LastAppliedConfiguration(LeakScanResult result, CredentialDetector detector, HashSet<(ResourceRef, string)> seen, KubeObject item, string value)
    {
        string location = $"metadata.annotations[{LastApplied}]";
        if (RedactedValue.IsRedacted(value))
        {
            // A Secret's copy is always redacted; any other object's only when it held a credential.
            Check(result, detector, seen, item, LastApplied, value, location, redactedMeansCredential: item.Kind != "Secret");
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            result.Problems.Add($"{item.ToResourceRef()}: {location} is not valid JSON; it is not scanned.");
            return;
        }

        using (document)
        {
            result.BytesScanned += value.Length;
            JsonElement root = document.RootElement;
            if (item.Kind == "Secret")
            {
                var keys = new List<string>();
                foreach (string field in new[] { "data", "stringData" })
                {
                    if (root.ValueKind == JsonValueKind.Object && root.TryGet(field, out JsonElement map) && map.ValueKind == JsonValueKind.Object)
                    {
                        keys.AddRange(map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String && p.Value.AsString()!.Length > 0).Select(p => $"{field}.{p.Name}"));
                    }
                }

                if (keys.Count > 0)
                {
                    result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.SecretInLastApplied, item.ToResourceRef(),
                        $"{item.ToResourceRef()} keeps its original {string.Join(", ", keys)} in plain text in {location}.",
                        new EvidenceDictionary { ["Location"] = location, ["Keys"] = string.Join(", ", keys), ["Fingerprint"] = RedactedValue.Fingerprint(Encoding.UTF8.GetBytes(value)) }));
                }

                return;
            }

            Walk(root, string.Empty, (key, text, path) => Check(result, detector, seen, item, key, text, $"{location} {path}", redactedMeansCredential: false, countBytes: false));
        }
    }

    private static void Walk(JsonElement element, string path, Action<string, string, string> visit, string key = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    // Env entries are {name, value}: the name is the key the value belongs to.
                    string childKey = property.Name == "value" && element.TryGet("name"u8, out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.AsString()! : property.Name;
                    Walk(property.Value, $"{path}.{property.Name}", visit, childKey);
                }

                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", visit, key);
                }

                break;
            case JsonValueKind.String:
                visit(key, element.AsString()!, path.TrimStart('.'));
                break;
        }
    }

    private static void Check(LeakScanResult result, CredentialDetector detector, HashSet<(ResourceRef, string)> seen, KubeObject item, string key, string value,
        string location, bool redactedMeansCredential, bool countBytes = true, bool binary = false)
    {
        if (RedactedValue.IsRedacted(value))
        {
            result.RedactedValues++;
            if (redactedMeansCredential && RedactedValue.TryParse(value, out string length, out string fingerprint) && seen.Add((item.ToResourceRef(), fingerprint)))
            {
                // Saved snapshots redact values outside Secrets only when the recogniser flags them.
                result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.CredentialLeak, item.ToResourceRef(),
                    $"{location} of {item.ToResourceRef()} was redacted when the snapshot was saved because it looked like a credential ({length} characters).",
                    new EvidenceDictionary { ["Location"] = location, ["Detector"] = "RedactedAsCredential", ["Fingerprint"] = fingerprint, ["Length"] = length }));
            }

            return;
        }

        if (countBytes)
        {
            result.BytesScanned += value.Length;
        }

        foreach (CredentialMatch match in binary ? CredentialDetector.ScanBinary(value) : detector.Scan(key, value))
        {
            string fingerprint = RedactedValue.Fingerprint(Encoding.UTF8.GetBytes(value.Substring(match.Index, match.Length)));
            if (!seen.Add((item.ToResourceRef(), fingerprint)))
            {
                continue;
            }

            var evidence = new EvidenceDictionary
            {
                ["Location"] = location,
                ["Detector"] = match.Detector,
                ["Fingerprint"] = fingerprint,
                ["Length"] = RedactedValue.LengthBucket(match.Length),
                ["Confidence"] = match.Confidence.ToString(),
            };

            // A value that is a file (application.properties, a script) is located down to its line.
            string where = location;
            if (LineOf(value, match.Index) is int line)
            {
                evidence["Line"] = line.ToString(System.Globalization.CultureInfo.InvariantCulture);
                where = $"{location} line {line}";
            }

            result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.CredentialLeak, item.ToResourceRef(),
                $"{where} of {item.ToResourceRef()} holds {CredentialDetector.Describe(match.Detector)} ({RedactedValue.LengthBucket(match.Length)} characters, fingerprint {fingerprint}).",
                evidence,
                match.Detector == CredentialDetector.HighEntropy ? Severity.Medium : null));
        }
    }

    /// <summary>The 1-based line of a position in a multi-line value; null for a single-line value.</summary>
    private static int? LineOf(string value, int index)
    {
        if (!value.AsSpan().Contains('\n'))
        {
            return null;
        }

        return value.AsSpan(0, Math.Min(index, value.Length)).Count('\n') + 1;
    }
}
