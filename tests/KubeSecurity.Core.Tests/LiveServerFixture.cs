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

    public static async Task<(KubeApiTestServer Server, string Kubeconfig)> StartAsync(IEnumerable<JsonObject>? objects = null)
    {
        KubeApiTestServer server = await KubeApiTestServer.StartAsync(objects ?? DemoObjects());
        string kubeconfig = server.WriteKubeconfig(Path.Combine(TestPaths.TempDirectory(), "kubeconfig"));
        return (server, kubeconfig);
    }
}
