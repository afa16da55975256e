using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Module.Tests;

/// <summary>The network cmdlets through the staged module, on the demo cluster and the local API test server.</summary>
public class NetworkCmdletTests
{
    private static T[] Of<T>(IEnumerable<PSObject> output) => output.Select(o => o.BaseObject).OfType<T>().ToArray();

    [Fact]
    public void Test_KubeNetworkPolicy_finds_every_planted_network_problem_of_the_demo_cluster()
    {
        using var session = new ModuleSession();
        Finding[] findings = Of<Finding>(session.Run("Test-KubeNetworkPolicy -Path $args[0]", ModuleSession.DemoCluster));
        Assert.Empty(session.Errors);
        Assert.Contains(findings, f => f.RuleId == "KSEC-NET-001" && f.Name == "legacy"); // DEMO-NET-1
        Assert.Contains(findings, f => f.RuleId == "KSEC-NET-005" && f.Name == "allow-all-ingress" && f.Severity == Severity.High); // DEMO-NET-2
        Assert.DoesNotContain(findings, f => f.Namespace == "payments" && f.RuleId is "KSEC-NET-007" or "KSEC-NET-006"); // DEMO-NET-3 is compliant
    }

    [Fact]
    public void Coverage_connectivity_and_map_answer_from_one_snapshot()
    {
        using var session = new ModuleSession();
        session.Run("$s = Get-KubeSnapshot -Path $args[0]", ModuleSession.DemoCluster);

        NetworkCoverage[] open = Of<NetworkCoverage>(session.Run("$s | Get-KubeNetworkPolicyCoverage -NamespaceOnly | Where-Object { -not $_.IngressIsolated }"));
        Assert.Contains(open, r => r.Name == "legacy");
        Assert.DoesNotContain(open, r => r.Name == "payments");

        ConnectivityResult denied = Of<ConnectivityResult>(session.Run("$s | Test-KubeNetworkConnectivity -From shop/frontend -To payments/payments-api -Port 8443")).Single();
        Assert.False(denied.Allowed);
        Assert.Contains("denied by", denied.Reason, StringComparison.Ordinal);
        ConnectivityResult allowed = Of<ConnectivityResult>(session.Run("$s | Test-KubeNetworkConnectivity -From ingress-nginx/ingress-nginx-controller -To payments/payments-api -Port 8443")).Single();
        Assert.True(allowed.Allowed, allowed.Reason);
        Assert.Contains("payments/api-from-ingress", allowed.Reason, StringComparison.Ordinal);
        Assert.Equal(new object[] { true }, session.Run("$s | Test-KubeNetworkConnectivity -From legacy/old-catalog -To 203.0.113.9 -Port 443 -Quiet").Select(o => o.BaseObject));

        NetworkConnection[] map = Of<NetworkConnection>(session.Run("$s | Get-KubeConnectivityMap -Namespace payments"));
        Assert.Contains(map, c => c.Source == "ingress-nginx-controller" && c.Destination == "payments-api" && c.Ports.SequenceEqual(new[] { "TCP/8443" }));
        string dot = (string)session.Run("$s | Get-KubeConnectivityMap -Namespace payments -As Dot").Single().BaseObject;
        Assert.Contains("\"ingress-nginx/ingress-nginx-controller\" -> \"payments/payments-api\"", dot, StringComparison.Ordinal);

        ErrorRecord error = Assert.Single(session.Run("$s | Test-KubeNetworkConnectivity -From nowhere/nothing -To payments/payments-api 2>&1").Select(o => o.BaseObject).OfType<ErrorRecord>());
        Assert.Equal("EndpointNotFound,KubeSecurity.Commands.TestKubeNetworkConnectivityCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Generated_policies_pipe_into_the_what_if_and_observed_flows_become_least_privilege_policies()
    {
        using var session = new ModuleSession();
        session.Run("$s = Get-KubeSnapshot -Path $args[0]", ModuleSession.DemoCluster);
        NetworkConnectivityChange[] changes = Of<NetworkConnectivityChange>(session.Run("$s | Compare-KubeNetworkPolicy -Proposed (New-KubeNetworkPolicy -DefaultDeny -Namespace legacy)"));
        Assert.Contains(changes, c => c.Change == "NewlyBlocked" && c.Destination == "legacy/old-catalog");
        Assert.DoesNotContain(changes, c => c.Change == "NewlyAllowed");

        string dir = ModuleSession.TempDirectory();
        string flows = Path.Combine(dir, "flows.csv");
        File.WriteAllText(flows, "Source,Destination,Port,Protocol\nshop/frontend,shop/cart,8080,TCP\nshop/frontend,shop/cart,99999,TCP\n");
        KubeObject[] policies = Of<KubeObject>(session.Run("New-KubeNetworkPolicy -Snapshot $s -ObservedPath $args[0]", flows));
        Assert.Equal(new[] { "allow-ingress-cart", "allow-egress-frontend" }, policies.Select(p => p.Name));
        ErrorRecord bad = Assert.Single(session.Errors);
        Assert.Equal("ObservedFlowInvalid,KubeSecurity.Commands.NewKubeNetworkPolicyCommand", bad.FullyQualifiedErrorId);
        Assert.Contains("line 3", bad.Exception.Message, StringComparison.Ordinal);

        // Map output pipes straight back in.
        KubeObject[] fromMap = Of<KubeObject>(session.Run("$s | Get-KubeConnectivityMap -Namespace payments | New-KubeNetworkPolicy -Snapshot $s"));
        Assert.Contains(fromMap, p => p.Name == "allow-ingress-payments-api");
    }

    [Fact]
    public async Task Set_KubeNetworkPolicy_creates_then_leaves_an_identical_policy_alone_and_honours_WhatIf()
    {
        var cluster = new[] { new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "shop" } } };
        await using KubeApiTestServer server = await KubeApiTestServer.StartAsync(cluster);
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        using var session = new ModuleSession();

        session.Run("New-KubeNetworkPolicy -DefaultDeny -Namespace shop | Set-KubeNetworkPolicy -Kubeconfig $args[0] -WhatIf", kubeconfig);
        Assert.Equal(0, server.Count("networkpolicies"));

        ApplyResult created = Of<ApplyResult>(session.Run("New-KubeNetworkPolicy -DefaultDeny -Namespace shop | Set-KubeNetworkPolicy -Kubeconfig $args[0] -Confirm:$false", kubeconfig)).Single();
        Assert.Equal("Created", created.Action);
        ApplyResult again = Of<ApplyResult>(session.Run("New-KubeNetworkPolicy -DefaultDeny -Namespace shop | Set-KubeNetworkPolicy -Kubeconfig $args[0] -Confirm:$false", kubeconfig)).Single();
        Assert.Equal("Unchanged", again.Action);
        ApplyResult replaced = Of<ApplyResult>(session.Run("New-KubeNetworkPolicy -DefaultDeny -Namespace shop -AllowDns $false | Set-KubeNetworkPolicy -Kubeconfig $args[0] -Confirm:$false", kubeconfig)).Single();
        Assert.Equal("Replaced", replaced.Action);
        Assert.True(replaced.Previous!.Json.GetProperty("spec").TryGetProperty("egress", out _));
        Assert.Empty(session.Errors);

        session.Run("New-KubeNetworkPolicy -DefaultDeny -Namespace shop -Flavor Calico | Set-KubeNetworkPolicy -Kubeconfig $args[0] -Confirm:$false", kubeconfig);
        Assert.Equal("UnsupportedPolicyKind,KubeSecurity.Commands.SetKubeNetworkPolicyCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Invalid_policies_are_errors_with_ids_and_the_rest_is_analysed()
    {
        string dir = ModuleSession.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "policies.yaml"), """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: broken, namespace: team}
            spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: not-a-cidr}}]}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: typo, namespace: team}
            spec: {podSelector: {matchLabels: {app: nothing}}}
            """);
        using var session = new ModuleSession();
        Finding[] findings = Of<Finding>(session.Run("Test-KubeNetworkPolicy -Path $args[0]", dir));
        ErrorRecord error = Assert.Single(session.Errors);
        Assert.Equal("NetworkPolicyInvalid,KubeSecurity.Commands.TestKubeNetworkPolicyCommand", error.FullyQualifiedErrorId);
        Assert.Contains("not-a-cidr", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.RuleId == "KSEC-NET-004" && f.Name == "typo");
        Assert.Contains(session.Warnings, w => w.Contains("could not be evaluated", StringComparison.Ordinal));
    }
}
