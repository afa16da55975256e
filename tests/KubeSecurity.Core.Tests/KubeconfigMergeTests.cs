using System.Diagnostics;
using System.Text.Json;
using k8s.KubeConfigModels;
using KubeSecurity.Core.Live;

namespace KubeSecurity.Core.Tests;

/// <summary>Several kubeconfig files merge as kubectl merges $KUBECONFIG, checked against the real kubectl on the same files.</summary>
public class KubeconfigMergeTests
{
    private const string First = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: shared
          cluster: {server: 'https://a.example:6443', certificate-authority: ca-a.crt}
        - name: only-a
          cluster: {server: 'https://only-a.example'}
        users:
        - name: alice
          user: {token: token-from-a}
        contexts:
        - name: ctx-a
          context: {cluster: shared, user: bob, namespace: team-a}
        - name: both
          context: {cluster: only-a, user: alice}
        """;

    private const string Second = """
        apiVersion: v1
        kind: Config
        current-context: ctx-b
        clusters:
        - name: shared
          cluster: {server: 'https://b.example'}
        - name: only-b
          cluster: {server: 'https://only-b.example', certificate-authority: ../ca-b.crt}
        users:
        - name: alice
          user: {token: token-from-b}
        - name: bob
          user: {client-certificate: bob.crt, client-key: bob.key}
        contexts:
        - name: both
          context: {cluster: only-b, user: bob}
        - name: ctx-b
          context: {cluster: only-b, user: alice}
        """;

    [Fact]
    public void Merging_matches_kubectl_config_view_merge_with_paths_resolved_against_their_own_file()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ksec-kubeconfig-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        string first = Path.Combine(dir, "a.kubeconfig");
        string second = Path.Combine(dir, "sub", "b.kubeconfig");
        File.WriteAllText(first, First);
        File.WriteAllText(second, Second);
        // Distinct contents, so the flattened data tells which file kubectl read.
        File.WriteAllText(Path.Combine(dir, "ca-a.crt"), "ca of a");
        File.WriteAllText(Path.Combine(dir, "ca-b.crt"), "ca of b");
        File.WriteAllText(Path.Combine(dir, "sub", "bob.crt"), "bob certificate");
        File.WriteAllText(Path.Combine(dir, "sub", "bob.key"), "bob key");

        K8SConfiguration merged = Kubeconfig.Merge(new[] { first, second });
        using JsonDocument kubectl = JsonDocument.Parse(Kubectl(dir, $"{first}{Path.PathSeparator}{second}", "config", "view", "--merge", "--raw", "--flatten", "-o", "json"));
        JsonElement root = kubectl.RootElement;

        Assert.Equal(root.GetProperty("current-context").GetString(), merged.CurrentContext);
        foreach (JsonElement context in root.GetProperty("contexts").EnumerateArray())
        {
            Context ours = Assert.Single(merged.Contexts, c => c.Name == context.GetProperty("name").GetString());
            JsonElement details = context.GetProperty("context");
            Assert.Equal(details.GetProperty("cluster").GetString(), ours.ContextDetails.Cluster);
            Assert.Equal(details.GetProperty("user").GetString(), ours.ContextDetails.User);
            Assert.Equal(details.TryGetProperty("namespace", out JsonElement ns) ? ns.GetString() : null, ours.ContextDetails.Namespace);
        }

        Assert.Equal(root.GetProperty("contexts").GetArrayLength(), merged.Contexts.Count());
        foreach (JsonElement cluster in root.GetProperty("clusters").EnumerateArray())
        {
            Cluster ours = Assert.Single(merged.Clusters, c => c.Name == cluster.GetProperty("name").GetString());
            JsonElement endpoint = cluster.GetProperty("cluster");
            Assert.Equal(endpoint.GetProperty("server").GetString(), ours.ClusterEndpoint.Server);
            if (endpoint.TryGetProperty("certificate-authority-data", out JsonElement data))
            {
                Assert.Equal(data.GetString(), Convert.ToBase64String(File.ReadAllBytes(ours.ClusterEndpoint.CertificateAuthority)));
            }
        }

        foreach (JsonElement user in root.GetProperty("users").EnumerateArray())
        {
            User ours = Assert.Single(merged.Users, u => u.Name == user.GetProperty("name").GetString());
            JsonElement credentials = user.GetProperty("user");
            Assert.Equal(credentials.TryGetProperty("token", out JsonElement token) ? token.GetString() : null, ours.UserCredentials.Token);
            if (credentials.TryGetProperty("client-certificate-data", out JsonElement certificate))
            {
                Assert.Equal(certificate.GetString(), Convert.ToBase64String(File.ReadAllBytes(ours.UserCredentials.ClientCertificate)));
                Assert.Equal(credentials.GetProperty("client-key-data").GetString(), Convert.ToBase64String(File.ReadAllBytes(ours.UserCredentials.ClientKey)));
            }
        }

        // The context of one file uses a cluster of the other: connecting takes the merged view.
        Assert.Equal("https://a.example:6443", merged.Clusters.Single(c => c.Name == "shared").ClusterEndpoint.Server);
        k8s.KubernetesClientConfiguration connection = k8s.KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, "ctx-a");
        Assert.StartsWith("https://a.example:6443", connection.Host, StringComparison.Ordinal);
        Assert.Equal("team-a", connection.Namespace);
        Assert.Equal(Path.Combine(dir, "sub", "bob.crt"), connection.ClientCertificateFilePath);
    }

    private static string Kubectl(string workingDirectory, string kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "kubectl did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"kubectl failed ({process.ExitCode}): {stderr}");
        return stdout;
    }
}
