using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// Loading a 50,000-object dump into a snapshot, against simply deserializing the same bytes with
/// the underlying parser (YamlDotNet's deserializer for YAML, System.Text.Json for JSON).
/// Target: the snapshot loader reaches at least half the parser's throughput.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class FileLoadBenchmarks
{
    private byte[] multiDocumentYaml = Array.Empty<byte>();
    private byte[] listYaml = Array.Empty<byte>();
    [GlobalSetup]
    public void Setup()
    {
        multiDocumentYaml = Encoding.UTF8.GetBytes(ClusterDumpGenerator.MultiDocumentYaml());
        listYaml = Encoding.UTF8.GetBytes(ClusterDumpGenerator.ListYaml());
        Console.WriteLine($"// dump: {ClusterDumpGenerator.TotalObjects:N0} objects; multi-document YAML {multiDocumentYaml.Length / 1048576.0:N1} MiB, List YAML {listYaml.Length / 1048576.0:N1} MiB");
    }

    internal static KubeSnapshot Load(byte[] bytes, string name)
    {
        var result = new ManifestReadResult();
        new ManifestReader().ReadBytes(bytes, name, result);
        KubeSnapshot snapshot = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, result.Objects, null, null, false, result.Sources, out _);
        if (snapshot.ObjectCount != ClusterDumpGenerator.TotalObjects || result.Problems.Count > 0)
        {
            throw new InvalidOperationException($"loaded {snapshot.ObjectCount} objects with {result.Problems.Count} problems");
        }

        return snapshot;
    }

    private static int DeserializeYaml(byte[] bytes)
    {
        IDeserializer deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(Encoding.UTF8.GetString(bytes)));
        parser.Consume<StreamStart>();
        int documents = 0;
        while (parser.Accept<DocumentStart>(out _))
        {
            _ = deserializer.Deserialize<object>(parser);
            documents++;
        }

        return documents;
    }

    [BenchmarkCategory("Multi-document YAML"), Benchmark(Baseline = true)]
    public int YamlDotNet_Deserialize_MultiDocument() => DeserializeYaml(multiDocumentYaml);

    [BenchmarkCategory("Multi-document YAML"), Benchmark]
    public KubeSnapshot KubeSecurity_Load_MultiDocument() => Load(multiDocumentYaml, "dump.yaml");

    [BenchmarkCategory("List YAML (kubectl -o yaml)"), Benchmark(Baseline = true)]
    public int YamlDotNet_Deserialize_List() => DeserializeYaml(listYaml);

    [BenchmarkCategory("List YAML (kubectl -o yaml)"), Benchmark]
    public KubeSnapshot KubeSecurity_Load_List() => Load(listYaml, "list.yaml");
}

/// <summary>
/// The same dump as one `kind: List` JSON document (kubectl get -A -o json), against parsing it with
/// System.Text.Json. Each load is measured once per iteration from a collected heap (Monitoring),
/// as a session loads one dump; many iterations keep the error small.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 30)]
public class JsonLoadBenchmarks
{
    private byte[] listJson = Array.Empty<byte>();

    [GlobalSetup]
    public void Setup()
    {
        var read = new ManifestReadResult();
        new ManifestReader().ReadBytes(Encoding.UTF8.GetBytes(ClusterDumpGenerator.MultiDocumentYaml()), "dump.yaml", read);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", "v1");
            writer.WriteString("kind", "List");
            writer.WriteStartArray("items");
            foreach (KubeObject item in read.Objects)
            {
                item.Json.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        listJson = stream.ToArray();
        Console.WriteLine($"// List JSON {listJson.Length / 1048576.0:N1} MiB, {read.Objects.Count:N0} objects");
    }

    [Benchmark(Baseline = true)]
    public int SystemTextJson_Parse_List()
    {
        using JsonDocument document = JsonDocument.Parse(listJson);
        return document.RootElement.GetProperty("items").GetArrayLength();
    }

    /// <summary>The same parse, kept alive as any loaded dump must be (no buffer returns to the pool).</summary>
    [Benchmark]
    public JsonDocument SystemTextJson_Parse_List_Retained() => JsonDocument.Parse(listJson);

    [Benchmark]
    public KubeSnapshot KubeSecurity_Load_Json() => FileLoadBenchmarks.Load(listJson, "list.json");
}
