using System.IO.Compression;
using System.Text;
using System.Text.Json;
using KubeSecurity.Core.Redaction;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using KubeSecurity.Core.Credentials;

namespace KubeSecurity.Core.Tests;

public class SnapshotFileTests
{
    private static KubeSnapshot Demo()
    {
        ManifestReadResult result = new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster });
        return SnapshotAssembler.Build(SnapshotSource.Files, "demo", "demo-context", null, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
            result.Objects, new[] { new MissingKind("Node", "forbidden: nodes is forbidden", 403) }, null, false, result.Sources, out _);
    }

    private static (KubeSnapshot Snapshot, byte[] Bytes) RoundTrip(KubeSnapshot snapshot, bool includeSecrets)
    {
        using var stream = new MemoryStream();
        RedactedSnapshotFile.Write(snapshot, stream, includeSecrets, "0.1.0-test");
        byte[] bytes = stream.ToArray();
        return (SnapshotFile.Read(bytes, "saved.ksnap", InputLimits.Default), bytes);
    }

    private static string Decompressed(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    [Fact]
    public void A_round_trip_keeps_every_object_and_the_snapshot_metadata()
    {
        KubeSnapshot original = Demo();
        (KubeSnapshot loaded, _) = RoundTrip(original, includeSecrets: true);

        Assert.Equal(SnapshotSource.Saved, loaded.Source);
        Assert.Equal("demo-context", loaded.Context);
        Assert.Equal(original.CollectedAt, loaded.CollectedAt);
        Assert.Equal(original.Counts, loaded.Counts);
        Assert.Equal(original.UnknownKinds, loaded.UnknownKinds);
        Assert.Equal(403, Assert.Single(loaded.MissingKinds).StatusCode);
        Assert.False(loaded.SecretValuesRedacted);
        Assert.Equal(original.OfKind("Pod").Select(p => p.Json.GetRawText()), loaded.OfKind("Pod").Select(p => p.Json.GetRawText()));
    }

    [Fact]
    public void Secret_values_are_redacted_by_default_keeping_key_names_lengths_and_fingerprints()
    {
        KubeSnapshot original = Demo();
        (KubeSnapshot loaded, byte[] bytes) = RoundTrip(original, includeSecrets: false);
        string text = Decompressed(bytes);

        Assert.True(loaded.SecretValuesRedacted);
        string password = Convert.ToBase64String(Encoding.UTF8.GetBytes("S3cure-Demo-Passw0rd!"));
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN RSA PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIA2E5QJ7WBHXK4R6TN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("q8Vt2Lr9XbN4sW7mK1pZ", text, StringComparison.Ordinal);

        JsonElement data = loaded.OfKind("Secret").Single(s => s.Name == "db-credentials").Json.GetProperty("data");
        Assert.True(RedactedValue.TryParse(data.GetProperty("password").GetString(), out string length, out string fingerprint));
        Assert.Equal("17-32", length);
        Assert.Equal(RedactedValue.Fingerprint(Encoding.UTF8.GetBytes("S3cure-Demo-Passw0rd!")), fingerprint);

        // Public certificates stay (certificate audits need them); the private key beside them does not.
        JsonElement tls = loaded.OfKind("Secret").Single(s => s.Name == "shop-tls").Json.GetProperty("data");
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", Encoding.ASCII.GetString(Convert.FromBase64String(tls.GetProperty("tls.crt").GetString()!)), StringComparison.Ordinal);
        Assert.True(RedactedValue.IsRedacted(tls.GetProperty("tls.key").GetString()));

        // Benign ConfigMap values and references stay readable for analysis.
        JsonElement config = loaded.OfKind("ConfigMap").Single(c => c.Name == "app-config").Json.GetProperty("data");
        Assert.Equal("eu-west-1", config.GetProperty("AWS_REGION").GetString());
        Assert.Equal("/var/run/secrets/db/password", config.GetProperty("DB_PASSWORD_FILE").GetString());
        Assert.True(RedactedValue.IsRedacted(config.GetProperty("AWS_ACCESS_KEY_ID").GetString()));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", loaded.OfKind("ConfigMap").Single(c => c.Name == "kube-root-ca.crt").Json.GetProperty("data").GetProperty("ca.crt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_applied_annotation_of_a_secret_is_redacted_because_it_repeats_the_data()
    {
        string manifest = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: applied
              namespace: app
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","data":{"token":"c3VwZXItc2VjcmV0"},"kind":"Secret"}'
            data:
              token: c3VwZXItc2VjcmV0
            """;
        var read = new ManifestReadResult();
        new ManifestReader().ReadBytes(Encoding.UTF8.GetBytes(manifest), "applied.yaml", read);
        KubeSnapshot snapshot = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, read.Objects, null, null, false, read.Sources, out _);

        (_, byte[] bytes) = RoundTrip(snapshot, includeSecrets: false);
        Assert.DoesNotContain("c3VwZXItc2VjcmV0", Decompressed(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_newer_format_version_is_refused_with_a_message_that_says_so()
    {
        byte[] bytes = Gzip("{\"kubesecuritySnapshot\": 7, \"objects\": []}");
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => SnapshotFile.Read(bytes, "future.ksnap", InputLimits.Default));
        Assert.True(error.Unsupported);
        Assert.Contains("format version 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Misshapen_metadata_in_a_saved_snapshot_is_ignored_not_a_crash()
    {
        byte[] bytes = Gzip("""{"kubesecuritySnapshot": 1, "missingKinds": [42, {"kind": "Secret", "statusCode": "403"}, {"reason": "no kind"}], "namespaceScope": ["a", 7], "objects": []}""");
        KubeSnapshot loaded = SnapshotFile.Read(bytes, "odd.ksnap", InputLimits.Default);

        MissingKind missing = Assert.Single(loaded.MissingKinds);
        Assert.Equal(("Secret", (int?)null), (missing.Kind, missing.StatusCode));
        Assert.Equal(new[] { "a" }, loaded.NamespaceScope);
    }

    [Fact]
    public void A_truncated_file_and_a_decompression_bomb_fail_cleanly()
    {
        using var stream = new MemoryStream();
        RedactedSnapshotFile.Write(Demo(), stream, false, "test");
        byte[] truncated = stream.ToArray()[..(int)(stream.Length / 2)];
        Assert.Throws<SnapshotFormatException>(() => SnapshotFile.Read(truncated, "cut.ksnap", InputLimits.Default));

        byte[] bomb = Gzip("{\"kubesecuritySnapshot\": 1, \"pad\": \"" + new string('A', 5_000_000) + "\"}");
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => SnapshotFile.Read(bomb, "bomb.ksnap", InputLimits.Default with { MaxFileBytes = 1_000_000 }));
        Assert.Contains("refusing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saved_snapshots_are_recognised_by_the_manifest_reader()
    {
        string directory = TestPaths.TempDirectory();
        string path = Path.Combine(directory, "demo" + SnapshotFile.Extension);
        using (FileStream file = File.Create(path))
        {
            RedactedSnapshotFile.Write(Demo(), file, false, "test");
        }

        ManifestReadResult result = new ManifestReader().ReadPaths(new[] { directory });
        Assert.Empty(result.Problems);
        Assert.NotNull(result.SavedSnapshot);
        Assert.Equal(Demo().ObjectCount, result.Objects.Count);
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
