using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using KubeSecurity.Core.Credentials;

namespace KubeSecurity.Core.Secrets;

/// <summary>The configuration could not be read as an EncryptionConfiguration.</summary>
public sealed class EncryptionConfigurationException(string message) : Exception(message);

/// <summary>
/// Reviews an API server EncryptionConfiguration: whether secrets are covered, which provider
/// writes, key validity and reuse (by fingerprint, never the key), and KMS settings.
/// </summary>
public static class EncryptionConfigurationAnalyzer
{
    public static List<Finding> Analyze(string yaml, string source)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = new YamlJsonConverter(InputLimits.Default).ConvertStream(yaml, out int documents);
            root = documents == 1 ? document.RootElement[0].Clone() : throw new EncryptionConfigurationException($"{source} holds {documents} YAML documents; an EncryptionConfiguration is one.");
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InputLimitException or JsonException)
        {
            throw new EncryptionConfigurationException($"{source} is not valid YAML: {ex.Message}");
        }

        if (JsonRead.String(root, "kind") is not "EncryptionConfiguration")
        {
            throw new EncryptionConfigurationException($"{source} is not an EncryptionConfiguration (kind is '{JsonRead.String(root, "kind")}').");
        }

        var resource = new ResourceRef("EncryptionConfiguration", null, Path.GetFileName(source));
        var findings = new List<Finding>();
        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        bool secretsCovered = false;
        int entryIndex = 0;
        foreach (JsonElement entry in root.TryGet("resources"u8, out JsonElement resources) && resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            List<string> covered = JsonRead.Strings(entry, "resources");
            bool secrets = covered.Any(r => r is "secrets" or "*.*" or "*." or "secrets.");
            List<JsonProperty> providers = entry.TryGet("providers"u8, out JsonElement list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object).SelectMany(p => p.EnumerateObject()).ToList()
                : new List<JsonProperty>();
            string where = $"resources[{entryIndex++}] ({string.Join(", ", covered)})";
            if (secrets && !secretsCovered)
            {
                secretsCovered = true;
                WriterFindings(resource, where, providers, findings);
            }

            foreach (JsonProperty provider in providers)
            {
                KeyFindings(resource, where, provider, fingerprints, findings);
                if (provider.Name == "kms")
                {
                    KmsFindings(resource, where, provider.Value, findings);
                }
            }
        }

        if (!secretsCovered)
        {
            findings.Add(RuleCatalog.CreateFinding(EncryptionRules.SecretsNotEncrypted, resource,
                $"{source} has no resources entry for secrets: they are stored in etcd unencrypted."));
        }

        return findings;
    }

    /// <summary>
    /// Whether the API servers the snapshot shows (static pods labelled component=kube-apiserver)
    /// run with --encryption-provider-config; null when none is visible (managed control planes).
    /// </summary>
    public static List<Finding>? CheckApiServers(KubeSnapshot snapshot, out List<string> configPaths)
    {
        configPaths = new List<string>();
        var servers = snapshot.OfKind("Pod").Where(p => p.Namespace == "kube-system"
            && (p.Labels.TryGetValue("component", out string? c) && c == "kube-apiserver" || p.Name.StartsWith("kube-apiserver", StringComparison.Ordinal))).ToList();
        if (servers.Count == 0)
        {
            return null;
        }

        var findings = new List<Finding>();
        foreach (KubeObject server in servers)
        {
            List<string> arguments = server.Json.TryGet("spec"u8, out JsonElement spec) && spec.TryGet("containers"u8, out JsonElement containers) && containers.ValueKind == JsonValueKind.Array
                ? containers.EnumerateArray().SelectMany(c => JsonRead.Strings(c, "command").Concat(JsonRead.Strings(c, "args"))).ToList()
                : new List<string>();
            string? flag = arguments.FirstOrDefault(a => a.StartsWith("--encryption-provider-config=", StringComparison.Ordinal));
            if (flag is null)
            {
                findings.Add(RuleCatalog.CreateFinding(EncryptionRules.SecretsNotEncrypted, server.ToResourceRef(),
                    $"{server.ToResourceRef()} runs without --encryption-provider-config: secrets are stored in etcd unencrypted.",
                    new Dictionary<string, string> { ["Flag"] = "--encryption-provider-config (absent)" }));
            }
            else
            {
                configPaths.Add(flag[(flag.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            }
        }

        return findings;
    }

    private static void WriterFindings(ResourceRef resource, string where, List<JsonProperty> providers, List<Finding> findings)
    {
        if (providers.Count == 0)
        {
            findings.Add(RuleCatalog.CreateFinding(EncryptionRules.SecretsNotEncrypted, resource, $"{where} covers secrets but lists no providers."));
            return;
        }

        JsonProperty writer = providers[0];
        string order = string.Join(" -> ", providers.Select(p => p.Name));
        switch (writer.Name)
        {
            case "identity":
                findings.Add(RuleCatalog.CreateFinding(EncryptionRules.IdentityFirst, resource,
                    $"{where}: identity is the first provider ({order}), so secrets are written unencrypted.", new Dictionary<string, string> { ["Providers"] = order }));
                break;
            case "aescbc":
                findings.Add(RuleCatalog.CreateFinding(EncryptionRules.WeakProvider, resource,
                    $"{where}: secrets are written with aescbc ({order}), which is not recommended (unauthenticated CBC).", new Dictionary<string, string> { ["Providers"] = order }));
                break;
            case "aesgcm":
                findings.Add(RuleCatalog.CreateFinding(EncryptionRules.WeakProvider, resource,
                    $"{where}: secrets are written with aesgcm ({order}); it is safe only if keys are rotated before about 200,000 writes each.",
                    new Dictionary<string, string> { ["Providers"] = order }, Severity.Low));
                break;
            case "kms" when JsonRead.String(writer.Value, "apiVersion") is null or "v1":
                findings.Add(RuleCatalog.CreateFinding(EncryptionRules.WeakProvider, resource,
                    $"{where}: secrets are written with KMS v1 ({order}), deprecated since Kubernetes 1.28.", new Dictionary<string, string> { ["Providers"] = order }));
                break;
        }
    }

    private static void KeyFindings(ResourceRef resource, string where, JsonProperty provider, Dictionary<string, string> fingerprints, List<Finding> findings)
    {
        if (provider.Name is not ("aescbc" or "aesgcm" or "secretbox") || !provider.Value.TryGet("keys"u8, out JsonElement keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        int count = 0;
        foreach (JsonElement key in keys.EnumerateArray())
        {
            count++;
            string name = JsonRead.String(key, "name") ?? $"#{count}";
            string? secret = JsonRead.String(key, "secret");
            byte[] bytes;
            try
            {
                bytes = secret is null ? Array.Empty<byte>() : Convert.FromBase64String(secret);
            }
            catch (FormatException)
            {
                findings.Add(RuleCatalog.CreateFinding(EncryptionRules.KeyProblem, resource, $"{where}: {provider.Name} key '{name}' is not valid base64.", new Dictionary<string, string> { ["Key"] = name }));
                continue;
            }

            int[] lengths = provider.Name == "secretbox" ? new[] { 32 } : new[] { 16, 24, 32 };
            string fingerprint = RedactedValue.Fingerprint(bytes);
            if (!lengths.Contains(bytes.Length))
            {
                findings.Add(RuleCatalog.CreateFinding(EncryptionRules.KeyProblem, resource,
                    $"{where}: {provider.Name} key '{name}' is {bytes.Length} bytes; {provider.Name} needs {string.Join(" or ", lengths)}.",
                    new Dictionary<string, string> { ["Key"] = name, ["Fingerprint"] = fingerprint }));
            }

            if (bytes.Length > 0 && fingerprints.TryGetValue(fingerprint, out string? first))
            {
                findings.Add(RuleCatalog.CreateFinding(EncryptionRules.KeyProblem, resource,
                    $"{where}: {provider.Name} key '{name}' has the same material as {first} (fingerprint {fingerprint}).",
                    new Dictionary<string, string> { ["Key"] = name, ["Fingerprint"] = fingerprint }, Severity.Medium));
            }
            else if (bytes.Length > 0)
            {
                fingerprints[fingerprint] = $"{where} {provider.Name} key '{name}'";
            }
        }

        if (count > 1)
        {
            findings.Add(RuleCatalog.CreateFinding(EncryptionRules.KeyProblem, resource,
                $"{where}: {provider.Name} lists {count} keys; the first encrypts, the others only decrypt. If a rotation is under way, rewrite all secrets and remove the old keys.",
                new Dictionary<string, string> { ["Keys"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Severity.Info));
        }
    }

    private static void KmsFindings(ResourceRef resource, string where, JsonElement kms, List<Finding> findings)
    {
        string name = JsonRead.String(kms, "name") ?? "?";
        string? endpoint = JsonRead.String(kms, "endpoint");
        var notes = new List<string>();
        if (JsonRead.String(kms, "apiVersion") is null or "v1")
        {
            notes.Add("apiVersion v1 (deprecated; use v2)");
        }

        if (endpoint is null || !endpoint.StartsWith("unix://", StringComparison.Ordinal))
        {
            notes.Add($"endpoint '{endpoint}' is not a unix:// socket");
        }

        string? timeout = JsonRead.String(kms, "timeout");
        if (timeout is not null && TimeSpan.TryParse("00:00:" + timeout.TrimEnd('s').PadLeft(2, '0'), System.Globalization.CultureInfo.InvariantCulture, out TimeSpan t) && t > TimeSpan.FromSeconds(10))
        {
            notes.Add($"timeout {timeout} is long (API requests wait that long when the plugin hangs)");
        }

        if (notes.Count > 0)
        {
            findings.Add(RuleCatalog.CreateFinding(EncryptionRules.KmsSettings, resource,
                $"{where}: kms provider '{name}': {string.Join("; ", notes)}.", new Dictionary<string, string> { ["Provider"] = name }));
        }
    }
}
