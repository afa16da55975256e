using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using Xunit;

namespace KubeSecurity.Core.Tests;

/// <summary>
/// A large JSON list file is read item by item, its Secrets' and ConfigMaps' bodies left in the
/// file and read back on demand. Everything a user or an analysis sees must be what the whole-file
/// reader gives; the thresholds are set to zero here so the demo cluster takes that path.
/// </summary>
public sealed class DetachedBodyTests : IDisposable
{
    private static readonly InputLimits Streaming = new() { DetachBodiesFromFilesOver = 0, DetachBodiesOver = 0 };
    private static readonly InputLimits WholeFile = new() { DetachBodiesFromFilesOver = long.MaxValue };

    private readonly string directory = Directory.CreateTempSubdirectory("ksec-detached-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static List<KubeObject> DemoObjects() => new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster }).Objects;

    private string WriteList(IEnumerable<KubeObject> objects, string name = "dump.json", string kind = "List")
    {
        var items = new JsonArray(objects.Select(o => (JsonNode)JsonNode.Parse(o.Json.GetRawText())!).ToArray());
        var list = new JsonObject { ["apiVersion"] = "v1", ["items"] = items, ["kind"] = kind, ["metadata"] = new JsonObject { ["resourceVersion"] = "" } };
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, list.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return path;
    }

    private static ManifestReadResult Read(string path, InputLimits limits) => new ManifestReader(limits).ReadPaths(new[] { path });

    private static KubeSnapshot Snapshot(IEnumerable<KubeObject> objects) =>
        SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, objects.ToList(), null, null, false, Array.Empty<string>(), out _);

    [Fact]
    public void DemoClusterFromOneLargeListAuditsExactlyAsFromMemory()
    {
        string path = WriteList(DemoObjects());
        ManifestReadResult streamed = Read(path, Streaming);
        ManifestReadResult whole = Read(path, WholeFile);

        Assert.Empty(streamed.Problems);
        Assert.Equal(whole.Objects.Count, streamed.Objects.Count);
        int detached = streamed.Objects.Count(o => o.IsDetached);
        Assert.Equal(whole.Objects.Count(o => o.Kind is "Secret" or "ConfigMap"), detached);
        Assert.True(detached > 10, $"only {detached} bodies were left in the file");
        for (int i = 0; i < whole.Objects.Count; i++)
        {
            KubeObject expected = whole.Objects[i], actual = streamed.Objects[i];
            Assert.Equal(expected.ToString(), actual.ToString());
            Assert.Equal(expected.Origin, actual.Origin);
            Assert.Equal(expected.Json.GetRawText(), actual.Json.GetRawText());
            Assert.Equal(expected.Labels, actual.Labels);
            Assert.Equal(expected.Annotations, actual.Annotations);
            Assert.Equal(expected.CreationTimestamp, actual.CreationTimestamp);
            Assert.Equal(expected.Uid, actual.Uid);
        }

        var options = new AuditOptions { AsOf = new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero), RestrictedPodSecurity = true };
        static string[] Lines(AuditResult audit) => audit.Findings
            .Select(f => $"{f.RuleId} {f.Resource} {f.Message} {string.Join(";", f.Evidence.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"))}").ToArray();
        string[] fromMemory = Lines(AuditRunner.Run(Snapshot(whole.Objects), options));
        string[] fromFile = Lines(AuditRunner.Run(Snapshot(streamed.Objects), options));
        Assert.True(fromMemory.Length > 200);
        Assert.Equal(fromMemory, fromFile);
    }

    [Fact]
    public void OutlineKeepsKeyNamesAndMetadataButNoValues()
    {
        string path = WriteList(DemoObjects().Where(o => o.Kind == "Secret"), kind: "List");
        KubeObject secret = Read(path, Streaming).Objects.First(o => o.IsDetached && o.Json.TryGetProperty("data", out JsonElement d) && d.EnumerateObject().Any());
        JsonElement outlineData = secret.Outline.GetProperty("data");
        Assert.Equal(secret.Json.GetProperty("data").EnumerateObject().Select(p => p.Name), outlineData.EnumerateObject().Select(p => p.Name));
        Assert.All(outlineData.EnumerateObject(), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
        Assert.Equal(JsonSerializer.Serialize(secret.Json.GetProperty("metadata")), JsonSerializer.Serialize(secret.Outline.GetProperty("metadata")));
        using (BodyLease outer = secret.OpenBody())
        using (BodyLease inner = secret.OpenBody())
        {
            Assert.Equal(secret.Json.GetRawText(), inner.Json.GetRawText());
            Assert.Equal(outer.Json.GetRawText(), inner.Json.GetRawText());
        }
    }

    [Fact]
    public void CertificateSearchesSkipOnlyBodiesWithoutAnyPemMarker()
    {
        List<KubeObject> loaded = Read(WriteList(DemoObjects().Where(o => o.Kind is "Secret" or "ConfigMap")), Streaming).Objects;
        Assert.False(loaded.Single(o => o.Name == "db-credentials").MayHoldCertificates);
        Assert.True(loaded.Single(o => o.Name == "payments-tls").MayHoldCertificates);
        foreach (KubeObject item in loaded.Where(o => !o.MayHoldCertificates))
        {
            Assert.DoesNotContain("-----BEGIN", item.Json.GetRawText(), StringComparison.Ordinal);
            JsonElement data = item.Json.TryGetProperty("data", out JsonElement d) ? d : default;
            if (data.ValueKind == JsonValueKind.Object && item.Kind == "Secret")
            {
                Assert.All(data.EnumerateObject(), p => Assert.DoesNotContain("-----BEGIN", Encoding.UTF8.GetString(Convert.FromBase64String(p.Value.GetString()!)), StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void FileChangedAfterLoadingIsAnErrorNamingIt()
    {
        string path = WriteList(DemoObjects().Where(o => o.Kind == "Secret"));
        KubeObject secret = Read(path, Streaming).Objects.First(o => o.IsDetached && o.Name == "payments-tls");
        string text = File.ReadAllText(path);
        string value = CertificateValue(secret);
        Assert.Contains(value, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(value, new string('A', value.Length - 4) + "AA==", StringComparison.Ordinal));

        var changed = Assert.Throws<InvalidDataException>(() => secret.OpenBody().Dispose());
        Assert.Contains("changed after it was loaded", changed.Message, StringComparison.Ordinal);
        Assert.Contains("payments/payments-tls", changed.Message, StringComparison.Ordinal);
        Assert.Contains(path, changed.Message, StringComparison.Ordinal);

        // A copy read before the change may still be held; once collected, the object reads the file again.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Throws<InvalidDataException>(() => secret.Json);

        File.WriteAllText(path, "{}");
        Assert.Contains("could not be read back", Assert.Throws<InvalidDataException>(() => secret.Json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileReplacedOrDeletedAfterLoadingStillReadsWhatWasLoaded()
    {
        string path = WriteList(DemoObjects().Where(o => o.Kind == "Secret"));
        List<KubeObject> loaded = Read(path, Streaming).Objects;
        string[] expected = Read(path, WholeFile).Objects.Select(o => o.Json.GetRawText()).ToArray();

        // What editors and scripts do: write a new file, then rename it over the old one.
        string replacement = WriteList(DemoObjects().Where(o => o.Kind == "ConfigMap"), "next.json");
        File.Move(replacement, path, overwrite: true);
        Assert.Equal(expected, loaded.Select(o => o.Json.GetRawText()));

        File.Delete(path);
        Assert.Equal(expected, loaded.Select(o => { using BodyLease body = o.OpenBody(); return body.Json.GetRawText(); }));
    }

    // Read in its own frame: a debug build keeps a method's locals (and the copy they hold) alive to its end.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static string CertificateValue(KubeObject secret) => secret.Json.GetProperty("data").GetProperty("tls.crt").GetString()!;

    public static TheoryData<string, string> FilesTheWholeFileReaderDecides => new()
    {
        { "comments", "{\"kind\":\"List\",\"apiVersion\":\"v1\",// a comment\n\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}},]}" },
        { "truncated", "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v" },
        { "not a list", "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\"},\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}]}" },
        { "items twice", "{\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}],\"items\":[]}" },
        { "items not a list", "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":{\"a\":1}}" },
        { "two values", "{\"kind\":\"List\",\"items\":[]} {\"kind\":\"List\",\"items\":[]}" },
        { "bad items", "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[null, 3, {\"kind\":\"ConfigMap\"}, {\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ok\"},\"data\":{\"k\":\"v\"}}]}" },
        { "typed list, kind last", "{\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"name\":\"s\",\"namespace\":\"n\"},\"type\":\"Opaque\",\"data\":{\"k\":\"dg==\"}}],\"metadata\":{},\"kind\":\"SecretList\"}" },
        { "deep", "{\"kind\":\"List\",\"items\":[" + new string('[', 300) + new string(']', 300) + "]}" },
        { "kind is a number", "{\"kind\":5,\"items\":[]}" },
        { "empty", "" },
        { "byte order mark", "\uFEFF{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"dg==\"}}]}" },
    };

    [Theory]
    [MemberData(nameof(FilesTheWholeFileReaderDecides))]
    public void WhatTheStreamingReaderDoesNotTakeReadsAsTheWholeFileReaderReadsIt(string name, string content)
    {
        string path = Path.Combine(directory, name.Replace(' ', '-') + ".json");
        File.WriteAllText(path, content, new UTF8Encoding(false));
        ManifestReadResult streamed = Read(path, Streaming), whole = Read(path, WholeFile);
        Assert.Equal(whole.Problems.Select(p => p.ToString()), streamed.Problems.Select(p => p.ToString()));
        Assert.Equal(whole.Objects.Select(o => $"{o.ApiVersion} {o} {o.Origin} {o.Json.GetRawText()}"), streamed.Objects.Select(o => $"{o.ApiVersion} {o} {o.Origin} {o.Json.GetRawText()}"));
    }

    [Fact]
    public void InvalidUtf8AnywhereIsRefusedAsByTheWholeFileReader()
    {
        string path = Path.Combine(directory, "latin1.json");
        byte[] bytes = Encoding.UTF8.GetBytes("{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"caf\u00e9\"},\"data\":{\"k\":\"X\"}}]}");
        int x = Array.LastIndexOf(bytes, (byte)'X');
        bytes[x] = 0xE9; // a Latin-1 é inside a value
        File.WriteAllBytes(path, bytes);
        ManifestReadResult streamed = Read(path, Streaming);
        Assert.Empty(streamed.Objects);
        Assert.Equal(Read(path, WholeFile).Problems.Select(p => p.ToString()), streamed.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void ItemsLargerThanTheReadWindowAreReadWhole()
    {
        string big = Convert.ToBase64String(Enumerable.Range(0, 9 << 20).Select(i => (byte)(i * 7)).ToArray());
        var items = Enumerable.Range(0, 3).Select(i => $"{{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{{\"name\":\"s{i}\",\"namespace\":\"n\"}},\"data\":{{\"blob\":\"{big}\"}}}}");
        string path = Path.Combine(directory, "big.json");
        File.WriteAllText(path, "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[" + string.Join(",", items) + "]}");
        List<KubeObject> objects = Read(path, Streaming).Objects;
        Assert.Equal(new[] { "Secret/n/s0", "Secret/n/s1", "Secret/n/s2" }, objects.Select(o => o.ToString()));
        Assert.All(objects, o => Assert.True(o.IsDetached));
        Assert.All(objects, o => Assert.Equal(big, o.Json.GetProperty("data").GetProperty("blob").GetString()));
    }
}
