using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Credentials;
using KubeSecurity.Core.Redaction;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Redaction;

/// <summary>
/// A "redacted" snapshot must not keep what the leak scanner calls a credential: every value of the
/// labelled corpus, planted where the scanner looks (ConfigMap data, env values, command lines,
/// annotations), is redacted on export when the scanner flags it, and the reloaded snapshot still
/// reports it at the same place.
/// </summary>
public class RedactionCorpusTests
{
    private static List<(bool Expected, string Key, string Value)> Corpus() => Secrets.CredentialCorpus.Read().ToList();

    // Values the scanner has flagged in the past but the old redactor kept in clear.
    public static TheoryData<string, string> Regressions => new()
    {
        { "GITHUB_TOKEN", "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" },
        { "notify", "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx" },
        { "signing.asc", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGXYZabc\n-----END PGP PRIVATE KEY BLOCK-----" },
        { "role", "AROA" + "3XQ7M2ZKJ5WBNH4T" },
    };

    private static KubeSnapshot Plant(IEnumerable<(string Key, string Value)> values)
    {
        var items = new JsonArray();
        int i = 0;
        foreach ((string key, string value) in values)
        {
            items.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = $"cm-{i}", ["namespace"] = "apps" }, ["data"] = new JsonObject { [key] = value } });
            items.Add(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
                ["metadata"] = new JsonObject { ["name"] = $"dep-{i}", ["namespace"] = "apps" },
                ["spec"] = new JsonObject
                {
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = $"a{i}" } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = $"a{i}" } },
                        ["spec"] = new JsonObject
                        {
                            ["containers"] = new JsonArray(new JsonObject
                            {
                                ["name"] = "app", ["image"] = "registry.example/app:1",
                                ["env"] = new JsonArray(new JsonObject { ["name"] = key, ["value"] = value }),
                                ["args"] = new JsonArray("serve", "--verbose", value),
                            }),
                        },
                    },
                },
            });
            items.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = $"svc-{i}", ["namespace"] = "apps", ["annotations"] = new JsonObject { [$"example.com/{key}"] = value } } });
            i++;
        }

        return RbacFixtures.FromYaml(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items }.ToJsonString());
    }

    private static (KubeSnapshot Reloaded, string Saved) SaveAndLoad(KubeSnapshot snapshot)
    {
        using var stream = new MemoryStream();
        RedactedSnapshotFile.Write(snapshot, stream, includeSecretValues: false, "test");
        byte[] bytes = stream.ToArray();
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return (SnapshotFile.Read(bytes, "saved.ksnap", InputLimits.Default), reader.ReadToEnd());
    }

    private static void AssertEveryFlaggedValueIsRedacted(List<(string Key, string Value)> values)
    {
        var detector = new CredentialDetector();
        KubeSnapshot original = Plant(values);
        LeakScanResult before = CredentialLeakScanner.Scan(original, detector);
        (KubeSnapshot reloaded, string saved) = SaveAndLoad(original);

        // At each place, a value the recogniser flags (under the key the scanner reads it with) is redacted.
        for (int i = 0; i < values.Count; i++)
        {
            (string key, string value) = values[i];
            string annotation = $"example.com/{key}";
            JsonElement data = reloaded.OfKind("ConfigMap").Single(c => c.Name == $"cm-{i}").Json.GetProperty("data");
            JsonElement container = reloaded.OfKind("Deployment").Single(d => d.Name == $"dep-{i}").Json
                .GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
            KubeObject service = reloaded.OfKind("Service").Single(d => d.Name == $"svc-{i}");
            AssertRedactedWhenFlagged(detector.Scan(key, value).Count > 0, data.GetProperty(key).GetString(), $"ConfigMap data '{key}'");
            AssertRedactedWhenFlagged(detector.Scan(key, value).Count > 0, container.GetProperty("env")[0].GetProperty("value").GetString(), $"env '{key}'");
            AssertRedactedWhenFlagged(detector.Scan("args", $"serve --verbose {value}").Any(m => m.Index + m.Length > "serve --verbose ".Length), container.GetProperty("args")[2].GetString(), $"args of '{key}'");
            AssertRedactedWhenFlagged(detector.Scan(annotation, value).Count > 0, service.Annotations[annotation], $"annotation '{annotation}'");
        }

        // Redaction leaves no flagged text anywhere in the file: a fresh scan of the saved text finds only stand-ins.
        Assert.DoesNotContain(CredentialLeakScanner.Scan(reloaded, detector).Findings, f => f.Evidence.TryGetValue("Detector", out string? d) && d != "RedactedAsCredential");

        // Every finding of the original is still reported, at the same object and place, from the redacted copy.
        LeakScanResult after = CredentialLeakScanner.Scan(reloaded, detector);
        var reported = after.Findings.Select(f => (f.Resource.ToString(), f.Evidence["Location"])).ToHashSet();
        foreach (Finding finding in before.Findings.Where(f => f.RuleId == SecretRules.CredentialLeak))
        {
            Assert.Contains((finding.Resource.ToString(), finding.Evidence["Location"]), reported);
        }
    }

    private static void AssertRedactedWhenFlagged(bool flagged, string? saved, string where)
    {
        if (flagged)
        {
            Assert.True(RedactedValue.IsRedacted(saved), $"{where}: the scanner flags it, but the saved snapshot keeps it in clear");
        }
        else
        {
            Assert.False(RedactedValue.IsRedacted(saved), $"{where}: the scanner does not flag it, so it should be kept for the analyses");
        }
    }

    [Fact]
    public void Every_corpus_value_the_scanner_flags_is_redacted_on_export_wherever_it_was_planted()
    {
        List<(bool Expected, string Key, string Value)> corpus = Corpus();
        Assert.True(corpus.Count >= 80);
        AssertEveryFlaggedValueIsRedacted(corpus.Select(c => (c.Key, c.Value)).ToList());
    }

    [Fact]
    public void Every_credential_format_the_scanner_knows_is_redacted_on_export_wherever_it_was_planted()
    {
        // The format corpus: every detector family in several embeddings, and the ordinary values that must stay.
        List<(string Key, string Value)> formats = File.ReadLines(Path.Combine(TestPaths.RepoRoot, "tests", "KubeSecurity.Core.Tests", "Secrets", "Corpus", "credential-formats.tsv"))
            .Where(l => !l.StartsWith('#') && l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(p => (p[3], p[4].Replace("\\n", "\n", StringComparison.Ordinal)))
            .ToList();
        Assert.True(formats.Count >= 500);
        AssertEveryFlaggedValueIsRedacted(formats);
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Values_the_old_redactor_missed_are_redacted(string key, string value)
    {
        Assert.NotEmpty(new CredentialDetector().Scan(key, value));
        AssertEveryFlaggedValueIsRedacted(new List<(string, string)> { (key, value) });
    }

    [Fact]
    public void Values_the_scanner_does_not_flag_are_kept_so_analyses_still_see_them()
    {
        (KubeSnapshot reloaded, _) = SaveAndLoad(Plant(new[] { ("LOG_LEVEL", "debug"), ("DATABASE_PASSWORD_FILE", "/run/secrets/db") }));
        KubeObject configMap = reloaded.OfKind("ConfigMap").First(c => c.Name == "cm-0");
        Assert.Equal("debug", configMap.Json.GetProperty("data").GetProperty("LOG_LEVEL").GetString());
        KubeObject deployment = reloaded.OfKind("Deployment").First(d => d.Name == "dep-1");
        Assert.Contains("/run/secrets/db", deployment.Json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_store_in_binary_data_is_reported_and_redacted_and_an_ordinary_binary_file_is_not()
    {
        // A PKCS#12 store as openssl writes it (SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data ... } }), then random bytes.
        byte[] pfx = new byte[] { 0x30, 0x82, 0x03, 0x10, 0x02, 0x01, 0x03, 0x30, 0x82, 0x02, 0xD0, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0xA0, 0x82 }
            .Concat(Enumerable.Range(0, 700).Select(i => (byte)((i * 7919) % 251))).ToArray();
        byte[] png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.Concat(Enumerable.Range(0, 700).Select(i => (byte)((i * 104729) % 253))).ToArray();
        var list = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "List",
            ["items"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "tls-store", ["namespace"] = "apps" },
                ["binaryData"] = new JsonObject { ["keystore.p12"] = Convert.ToBase64String(pfx), ["logo.png"] = Convert.ToBase64String(png) },
            }),
        };
        KubeSnapshot snapshot = RbacFixtures.FromYaml(list.ToJsonString());

        Finding finding = Assert.Single(CredentialLeakScanner.Scan(snapshot, new CredentialDetector()).Findings);
        Assert.Equal("binaryData.keystore.p12", finding.Evidence["Location"]);
        Assert.Equal(CredentialDetector.Pkcs12KeyStore, finding.Evidence["Detector"]);

        (KubeSnapshot reloaded, string saved) = SaveAndLoad(snapshot);
        JsonElement binary = reloaded.OfKind("ConfigMap").Single().Json.GetProperty("binaryData");
        Assert.True(RedactedValue.IsRedacted(binary.GetProperty("keystore.p12").GetString()));
        Assert.Equal(Convert.ToBase64String(png), binary.GetProperty("logo.png").GetString());
        Assert.DoesNotContain(Convert.ToBase64String(pfx)[..40], saved, StringComparison.Ordinal);
        Assert.Equal("binaryData.keystore.p12", Assert.Single(CredentialLeakScanner.Scan(reloaded, new CredentialDetector()).Findings).Evidence["Location"]);
    }
}
