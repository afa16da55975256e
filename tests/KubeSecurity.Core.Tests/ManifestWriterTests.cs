using System.Text;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Manifests;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests;

public class ManifestWriterTests
{
    private static List<KubeObject> Parse(string yaml)
    {
        var result = new ManifestReadResult();
        new ManifestReader().ReadBytes(Encoding.UTF8.GetBytes(yaml), "written.yaml", result);
        Assert.Empty(result.Problems);
        return result.Objects;
    }

    [Fact]
    public void Writing_and_reading_back_the_demo_cluster_gives_the_same_objects()
    {
        List<KubeObject> original = new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster }).Objects;
        string yaml = ManifestWriter.ToYaml(original, new ManifestWriteOptions { IncludeSecretValues = true, KeepServerFields = true });
        List<KubeObject> reread = Parse(yaml);

        Assert.Equal(original.Count, reread.Count);
        for (int i = 0; i < original.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original[i].Json.GetRawText()), JsonNode.Parse(reread[i].Json.GetRawText())), $"object {original[i]} changed in the round trip");
        }
    }

    [Fact]
    public void Strings_that_look_like_other_types_are_quoted()
    {
        List<KubeObject> objects = Parse("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: tricky}
            data: {a: "true", b: "0755", c: "1.10", d: "yes", e: "", f: "null", g: "12:30"}
            """);
        string yaml = ManifestWriter.ToYaml(objects);
        List<KubeObject> reread = Parse(yaml);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(objects[0].Json.GetRawText())!["data"], JsonNode.Parse(reread[0].Json.GetRawText())!["data"]));
        Assert.Contains("\"0755\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_fields_are_dropped_and_secrets_redacted_unless_asked()
    {
        List<KubeObject> objects = Parse("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: s
              namespace: n
              uid: 1234
              resourceVersion: "99"
              managedFields: [{manager: kubectl}]
            data: {password: aHVudGVyMg==}
            status: {}
            """);

        string yaml = ManifestWriter.ToYaml(objects);
        Assert.DoesNotContain("aHVudGVyMg==", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("resourceVersion", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("managedFields", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("status", yaml, StringComparison.Ordinal);
        Assert.StartsWith("apiVersion: v1\nkind: Secret", yaml.TrimStart('-', '\n', ' ').Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);

        string full = ManifestWriter.ToYaml(objects, new ManifestWriteOptions { IncludeSecretValues = true });
        Assert.Contains("aHVudGVyMg==", full, StringComparison.Ordinal);
    }
}
