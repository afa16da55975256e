using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.AttackPaths;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests;

/// <summary>
/// Type confusion, the hostile input every analysis reads: each round replaces values of the demo
/// cluster's objects (fixed seeds) with a value of another JSON type or an out-of-range number, the
/// way a broken generator or an attacker's manifest would, and runs the whole audit and the attack
/// graph. No area may fail: an area that throws is reported as failed by the audit, which this
/// test treats as the defect it is.
/// </summary>
public class TypeConfusionFuzzTests
{
    private static readonly JsonNode?[] Replacements =
    {
        null, JsonValue.Create(99999999999), JsonValue.Create(-1), JsonValue.Create(1e30), JsonValue.Create(0.5), JsonValue.Create(true),
        JsonValue.Create(""), JsonValue.Create("not-a-number"), new JsonArray(), new JsonObject(), new JsonArray(JsonValue.Create(7), null),
    };

    private static readonly Lazy<List<JsonObject>> Demo = new(() =>
        new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster }).Objects.Select(o => (JsonObject)JsonNode.Parse(o.Json.GetRawText())!).ToList());

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (int seed = 1; seed <= 200; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Values_of_the_wrong_type_never_stop_an_area(int seed)
    {
        var random = new Random(seed);
        var objects = new List<KubeObject>();
        foreach (JsonObject original in Demo.Value)
        {
            var copy = (JsonObject)original.DeepClone();
            Mutate(copy, random, depth: 0, keepIdentity: true);
            if (KubeObject.TryCreate(JsonDocument.Parse(copy.ToJsonString()).RootElement, "fuzz", out KubeObject? item, out _))
            {
                objects.Add(item!);
            }
        }

        KubeSnapshot snapshot = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, objects, null, null, false, Array.Empty<string>(), out _);
        AuditResult audit = AuditRunner.Run(snapshot, new AuditOptions { AsOf = new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero), RestrictedPodSecurity = seed % 2 == 0 });
        Assert.True(!audit.Problems.Any(p => p.Contains("the analysis failed", StringComparison.Ordinal)), string.Join("\n", audit.Problems.Where(p => p.Contains("the analysis failed", StringComparison.Ordinal))));

        AttackGraph graph = AttackGraph.Build(snapshot, RbacPolicy.Build(snapshot));
        _ = graph.Find("external", "cluster-admin");
        _ = graph.Find("external", "node");
        _ = AttackGraph.ChokePoints(graph.Find("external", "secrets:payments"));
    }

    // One value in eight below the top level becomes another type; names, kinds and namespaces stay so objects still load.
    private static void Mutate(JsonNode node, Random random, int depth, bool keepIdentity)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (string key in obj.Select(p => p.Key).ToList())
                {
                    if (keepIdentity && key is "apiVersion" or "kind" || key == "metadata" && depth == 0)
                    {
                        if (key == "metadata" && obj[key] is JsonObject metadata)
                        {
                            foreach (string field in metadata.Select(p => p.Key).Where(k => k is not ("name" or "namespace")).ToList())
                            {
                                Visit(metadata, field, random, depth + 1);
                            }
                        }

                        continue;
                    }

                    Visit(obj, key, random, depth + 1);
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    if (random.Next(8) == 0)
                    {
                        array[i] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                    }
                    else if (array[i] is JsonNode child)
                    {
                        Mutate(child, random, depth + 1, false);
                    }
                }

                break;
        }
    }

    private static void Visit(JsonObject obj, string key, Random random, int depth)
    {
        if (random.Next(8) == 0)
        {
            obj[key] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
        }
        else if (obj[key] is JsonNode child)
        {
            Mutate(child, random, depth, false);
        }
    }
}
