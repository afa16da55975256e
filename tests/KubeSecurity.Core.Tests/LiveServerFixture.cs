using System.Text.Json.Nodes;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Core.Tests;

/// <summary>Helpers to start the local API server with the demo cluster (or generated objects).</summary>
internal static class LiveServer
{
    public static List<JsonObject> DemoObjects() =>
        new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster }).Objects
            .Where(o => KnownKinds.IsKnown(o.Kind))
            .Select(o => (JsonObject)JsonNode.Parse(o.Json.GetRawText())!)
            .ToList();

    public static IEnumerable<JsonObject> Pods(int count, string ns = "bulk")
    {
        for (int i = 0; i < count; i++)
        {
            yield return new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject { ["name"] = $"pod-{i:D5}", ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = $"app-{i % 10}" } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox:1.36" }) },
            };
        }
    }

    /// <summary>What each demo node's kubelet answers at /configz (samples/demo-kubelet-configz), by node.</summary>
    public static Dictionary<string, JsonObject> DemoKubeletConfigz() =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "samples", "demo-kubelet-configz"), "*.json")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => (JsonObject)JsonNode.Parse(File.ReadAllText(f))!["kubeletconfig"]!.DeepClone());

    public static async Task<(KubeApiTestServer Server, string Kubeconfig)> StartAsync(IEnumerable<JsonObject>? objects = null)
    {
        KubeApiTestServer server = await KubeApiTestServer.StartAsync(objects ?? DemoObjects());
        if (objects is null)
        {
            // The demo cluster's nodes answer /configz as the samples say.
            foreach ((string node, JsonObject configuration) in DemoKubeletConfigz())
            {
                server.KubeletConfigz[node] = configuration;
            }
        }

        string kubeconfig = server.WriteKubeconfig(Path.Combine(TestPaths.TempDirectory(), "kubeconfig"));
        return (server, kubeconfig);
    }
}
