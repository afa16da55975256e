using System.Diagnostics;
using System.Text.Json;
using KubeSecurity.Core.Live;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Core.Tests;

/// <summary>The real kubectl, pointed at the local test server, proves the server speaks the Kubernetes API faithfully.</summary>
public class KubectlFidelityTests
{
    private static (int ExitCode, string Stdout, string Stderr) Kubectl(string kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(Path.GetDirectoryName(kubeconfig)!, "kubectl-cache") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException("kubectl did not finish in 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public async Task Kubectl_lists_the_served_pods_and_objects_exactly_as_the_collector_sees_them()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync(LiveServer.DemoObjects().Concat(LiveServer.Pods(620)));
        await using (server)
        {
            (int exit, string stdout, string stderr) = Kubectl(kubeconfig, "get", "pods", "-A", "-o", "json");
            Assert.True(exit == 0, $"kubectl failed ({exit}): {stderr}");

            using JsonDocument kubectlList = JsonDocument.Parse(stdout);
            List<string> fromKubectl = kubectlList.RootElement.GetProperty("items").EnumerateArray()
                .Select(i => $"{i.GetProperty("metadata").GetProperty("namespace").GetString()}/{i.GetProperty("metadata").GetProperty("name").GetString()}")
                .ToList();
            Assert.Equal(LiveServer.DemoObjects().Count(o => (string?)o["kind"] == "Pod") + 620, fromKubectl.Count);
            Assert.All(kubectlList.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Equal("Pod", i.GetProperty("kind").GetString()));

            using KubeConnection connection = KubeConnection.Open(new LiveConnectionOptions { KubeconfigPath = kubeconfig });
            KubeSnapshot snapshot = await new LiveSnapshotCollector(connection, new LiveSnapshotOptions { Kinds = new[] { "Pod" } }).CollectAsync(CancellationToken.None);
            Assert.Equal(fromKubectl.Order(StringComparer.Ordinal), snapshot.OfKind("Pod").Select(p => $"{p.Namespace}/{p.Name}").Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Kubectl_uses_discovery_label_selectors_bearer_tokens_and_sees_kubernetes_errors()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            (int exit, string stdout, string stderr) = Kubectl(kubeconfig, "--context", "test-token", "get", "clusterrolebindings", "-l", "kubernetes.io/bootstrapping=rbac-defaults", "-o", "name");
            Assert.True(exit == 0, stderr);
            Assert.Equal("clusterrolebinding.rbac.authorization.k8s.io/cluster-admin", stdout.Trim());

            (exit, stdout, _) = Kubectl(kubeconfig, "get", "deploy", "-n", "payments", "payments-api", "-o", "jsonpath={.spec.template.spec.serviceAccountName}");
            Assert.Equal(0, exit);
            Assert.Equal("payments-api", stdout);

            (exit, _, stderr) = Kubectl(kubeconfig, "--context", "bad-token", "get", "pods");
            Assert.NotEqual(0, exit);
            Assert.Contains("Unauthorized", stderr, StringComparison.Ordinal);

            // Cluster-scoped custom API groups resolve by short name through discovery, as the network-policy API's CRDs do.
            (exit, stdout, stderr) = Kubectl(kubeconfig, "get", "anp", "-o", "name");
            Assert.True(exit == 0, stderr);
            Assert.Equal(string.Empty, stdout.Trim());

            server.AddFault(new Fault(403, "secrets"));
            (exit, _, stderr) = Kubectl(kubeconfig, "get", "secrets", "-A");
            Assert.NotEqual(0, exit);
            Assert.Contains("secrets is forbidden: User \"test-admin\" cannot list resource \"secrets\"", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Kubectl_can_create_patch_and_delete_against_the_test_server()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync(Array.Empty<System.Text.Json.Nodes.JsonObject>());
        await using (server)
        {
            string manifest = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "ns.yaml");
            File.WriteAllText(manifest, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: created-by-kubectl\n");
            (int exit, _, string stderr) = Kubectl(kubeconfig, "create", "-f", manifest, "--validate=false");
            Assert.True(exit == 0, stderr);
            (exit, _, stderr) = Kubectl(kubeconfig, "label", "namespace", "created-by-kubectl", "team=blue");
            Assert.True(exit == 0, stderr);
            (exit, string labels, _) = Kubectl(kubeconfig, "get", "namespace", "created-by-kubectl", "-o", "jsonpath={.metadata.labels.team}");
            Assert.Equal((0, "blue"), (exit, labels));
            (exit, _, stderr) = Kubectl(kubeconfig, "create", "-f", manifest, "--validate=false");
            Assert.Contains("AlreadyExists", stderr + (exit == 0 ? " exit 0" : string.Empty), StringComparison.Ordinal);
            (exit, _, stderr) = Kubectl(kubeconfig, "delete", "namespace", "created-by-kubectl", "--wait=false");
            Assert.True(exit == 0, stderr);
            Assert.Equal(0, server.Count("namespaces"));
        }
    }
    [Fact]
    public async Task Kubectl_replace_with_a_stale_resource_version_is_a_conflict_as_on_a_real_server()
    {
        (KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync(Array.Empty<System.Text.Json.Nodes.JsonObject>());
        await using (server)
        {
            string manifest = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "cm.yaml");
            File.WriteAllText(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\ndata:\n  mode: a\n");
            (int exit, _, string stderr) = Kubectl(kubeconfig, "create", "-f", manifest, "--validate=false");
            Assert.True(exit == 0, stderr);
            (exit, string read, stderr) = Kubectl(kubeconfig, "get", "configmap", "settings", "-o", "yaml");
            Assert.True(exit == 0, stderr);
            (exit, _, stderr) = Kubectl(kubeconfig, "label", "configmap", "settings", "changed=meanwhile");
            Assert.True(exit == 0, stderr);

            string stale = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "stale.yaml");
            File.WriteAllText(stale, read.Replace("mode: a", "mode: b", StringComparison.Ordinal));
            (exit, _, stderr) = Kubectl(kubeconfig, "replace", "-f", stale, "--validate=false");

            Assert.NotEqual(0, exit);
            Assert.Contains("the object has been modified", stderr, StringComparison.Ordinal);
            Assert.Equal("meanwhile", server.Get("configmaps", "default", "settings")!["metadata"]!["labels"]!["changed"]!.ToString());
        }
    }
}
