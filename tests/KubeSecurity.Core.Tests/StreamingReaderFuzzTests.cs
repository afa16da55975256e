using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using Xunit;

namespace KubeSecurity.Core.Tests;

/// <summary>
/// The item-by-item reader must never answer differently from the whole-file reader: on a damaged
/// dump it either reads exactly the same objects and problems, or gives up and lets the whole-file
/// reader decide. 150 fixed seeds each damage the demo cluster's list file once.
/// </summary>
public sealed class StreamingReaderFuzzTests : IDisposable
{
    private static readonly Lazy<byte[]> DemoList = new(() =>
    {
        var items = new JsonArray(new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster }).Objects
            .Select(o => (JsonNode)JsonNode.Parse(o.Json.GetRawText())!).ToArray());
        var list = new JsonObject { ["apiVersion"] = "v1", ["items"] = items, ["kind"] = "List", ["metadata"] = new JsonObject() };
        return Encoding.UTF8.GetBytes(list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    });

    private static readonly byte[] Damage = Encoding.UTF8.GetBytes("{}[],:\"\\ \n0a-é\u0001");

    private readonly string directory = Directory.CreateTempSubdirectory("ksec-stream-fuzz-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static IEnumerable<object[]> Seeds => Enumerable.Range(0, 150).Select(seed => new object[] { seed });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_damaged_dump_reads_as_the_whole_file_reader_reads_it(int seed)
    {
        string path = Damaged(seed);
        ManifestReadResult streamed = new ManifestReader(Streaming).ReadPaths(new[] { path });
        ManifestReadResult whole = new ManifestReader(new InputLimits { DetachBodiesFromFilesOver = long.MaxValue }).ReadPaths(new[] { path });

        Assert.Equal(whole.Problems.Select(p => p.ToString()), streamed.Problems.Select(p => p.ToString()));
        Assert.Equal(Describe(whole.Objects), Describe(streamed.Objects));
    }

    [Fact]
    public void Damage_that_leaves_valid_json_is_read_item_by_item_not_handed_over()
    {
        // Without this, every seed could pass by the item reader giving up.
        int taken = Enumerable.Range(0, 150).Count(seed => new ManifestReader(Streaming).ReadPaths(new[] { Damaged(seed) }).Objects.Any(o => o.IsDetached));
        Assert.InRange(taken, 30, 149);
    }

    private static readonly InputLimits Streaming = new() { DetachBodiesFromFilesOver = 0, DetachBodiesOver = 0 };

    private string Damaged(int seed)
    {
        var random = new Random(seed);
        var bytes = new List<byte>(DemoList.Value);
        int at = random.Next(bytes.Count);
        switch (seed % 5)
        {
            case 0:
                bytes.RemoveAt(at);
                break;
            case 1:
                bytes.Insert(at, Damage[random.Next(Damage.Length)]);
                break;
            case 2:
                bytes[at] = Damage[random.Next(Damage.Length)];
                break;
            case 3:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            default:
                int length = Math.Min(random.Next(1, 400), bytes.Count - at);
                bytes.InsertRange(at, bytes.GetRange(at, length));
                break;
        }

        string path = Path.Combine(directory, $"damaged-{seed}.json");
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    private static IEnumerable<string> Describe(List<KubeObject> objects) =>
        objects.Select(o => $"{o.ApiVersion} {o} {o.Origin} {o.Json.GetRawText()} {string.Join(",", o.Labels.Select(l => $"{l.Key}={l.Value}"))}");
}
