using System.Net;
using System.Text;
using KubeSecurity.Core.Network;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Network;

internal static class NetworkFixtures
{
    public static string Recipes => Path.Combine(TestPaths.SharedData, "netpol", "k8s-docs-examples");

    public static string Namespace(string name, string labels = "{}") => $"---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}, labels: {labels}}}\n";

    public static string Pod(string ns, string name, string labels, string ports = "[]", bool hostNetwork = false) =>
        $"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {ns}, labels: {labels}}}\nspec: {{hostNetwork: {(hostNetwork ? "true" : "false")}, containers: [{{name: c, image: x, ports: {ports}}}]}}\n";

    public static KubeSnapshot Snapshot(string yaml, params string[] paths)
    {
        var result = new ManifestReadResult();
        var reader = new ManifestReader();
        reader.ReadBytes(Encoding.UTF8.GetBytes(yaml), "test.yaml", result);
        foreach (string path in paths)
        {
            result.Objects.AddRange(reader.ReadPaths(new[] { path }).Objects);
        }

        Assert.True(result.Problems.Count == 0, string.Join("\n", result.Problems));
        return new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, result.Objects);
    }

    public static NetworkModel Build(string yaml, params string[] paths) => NetworkModel.Build(Snapshot(yaml, paths));

    public static NetworkEndpoint At(NetworkModel model, string text) =>
        Assert.Single(EndpointResolver.Resolve(model, text, out string? problem), e => problem is null);

    public static bool Allowed(NetworkModel model, string from, string to, string protocol = "TCP", int port = 80) =>
        model.Evaluate(At(model, from), At(model, to)).Allowed.Contains(protocol, port);

    public static NetworkEndpoint Ip(string address) => NetworkEndpoint.External(IPAddress.Parse(address));
}
