using System.Management.Automation;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Module.Tests;

/// <summary>Tab completion as the console asks for it (TabExpansion2).</summary>
public class CompleterTests
{
    private static List<string> Complete(ModuleSession session, string line) =>
        session.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches | ForEach-Object { $_.CompletionText }", line)
            .Select(o => o.ToString()).ToList();

    [Fact]
    public async Task Contexts_namespaces_kinds_and_rule_ids_complete()
    {
        await using KubeApiTestServer server = await KubeApiTestServer.StartAsync(new[]
        {
            new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "payments" } },
            new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "platform" } },
            new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "shop" } },
        });
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        using var session = new ModuleSession();

        Assert.Equal(new[] { "test-cert", "test-token" }, Complete(session, $"Get-KubeSnapshot -Kubeconfig '{kubeconfig}' -Context test-"));
        Assert.Equal(new[] { "payments", "platform" }, Complete(session, $"Get-KubeSnapshot -Kubeconfig '{kubeconfig}' -Namespace p"));
        Assert.Equal(new[] { "ClusterRole", "ClusterRoleBinding" }, Complete(session, "Get-KubeSnapshot -Kind ClusterR"));
        Assert.Equal(new[] { "KSEC-GEN-001", "KSEC-GEN-002", "KSEC-GEN-003", "KSEC-GEN-004" }, Complete(session, "Get-KubeSecurityRule -Id KSEC-GEN"));

        session.Run("$global:demo = Get-KubeSnapshot -Path $args[0]", ModuleSession.DemoCluster);
        Assert.Equal(new[] { "payments" }, Complete(session, "Get-KubeObject -Snapshot $demo -Namespace pay"));
    }
}
