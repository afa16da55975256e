using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Module.Tests;

/// <summary>The secret cmdlets through the staged module, on the demo cluster and the local API test server.</summary>
public class SecretCmdletTests
{
    private static T[] Of<T>(IEnumerable<PSObject> output) => output.Select(o => o.BaseObject).OfType<T>().ToArray();

    [Fact]
    public void Secret_audit_leak_scan_inventory_and_access_on_the_demo_cluster_never_show_a_value()
    {
        using var session = new ModuleSession();
        session.Run("$s = Get-KubeSnapshot -Path $args[0]", ModuleSession.DemoCluster);
        Finding[] audit = Of<Finding>(session.Run("$s | Test-KubeSecret -AsOf '2026-12-20'"));
        Finding[] leaks = Of<Finding>(session.Run("$s | Find-KubeCredentialLeak"));
        SecretInventoryItem[] inventory = Of<SecretInventoryItem>(session.Run("$s | Get-KubeSecretInventory"));
        SecretAccess[] access = Of<SecretAccess>(session.Run("$s | Get-KubeSecretAccess -Namespace payments -Name db-credentials"));
        Assert.Empty(session.Errors);

        foreach (string rule in new[] { "KSEC-SEC-001", "KSEC-SEC-002", "KSEC-SEC-004", "KSEC-SEC-005", "KSEC-SEC-008", "KSEC-SEC-010" })
        {
            Assert.Contains(audit, f => f.RuleId == rule);
        }

        Assert.Contains(leaks, f => f.Name == "app-config" && f.Evidence["Detector"] == "AwsAccessKeyId");
        Assert.Contains(leaks, f => f.Name == "grafana");
        SecretInventoryItem db = inventory.Single(i => i.Namespace == "payments" && i.Name == "db-credentials");
        Assert.Contains("payments-api (env)", db.ConsumedBy, StringComparison.Ordinal);
        Assert.Contains("Group:system:authenticated", db.ReadableBy, StringComparison.Ordinal);
        Assert.True(inventory.Single(i => i.Name == "deployer-token").IsLegacyToken);
        Assert.Contains(access, a => a.Subject.ToString() == "Group:payments-devs" && a.Verbs.SequenceEqual(new[] { "get", "list", "watch" }));

        string everything = session.AllStreamText() + string.Join("\n", audit.Concat(leaks).Select(f => f.Message + string.Join(" ", f.Evidence.Values)))
            + string.Join("\n", inventory.Select(i => i.ToString() + i.Keys + i.LeakIndicators));
        foreach (string value in new[] { "AKIA2E5QJ7WBHXK4R6TN", "q8Vt2Lr9XbN4sW7mK1pZ", "S3cure-Demo-Passw0rd", "demo-old-api-key" })
        {
            Assert.DoesNotContain(value, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Redacted_snapshots_say_which_checks_were_skipped()
    {
        using var session = new ModuleSession();
        string saved = Path.Combine(ModuleSession.TempDirectory(), "demo.ksnap");
        session.Run("Get-KubeSnapshot -Path $args[0] | Export-KubeSnapshot -Path $args[1]", ModuleSession.DemoCluster, saved);
        Finding[] leaks = Of<Finding>(session.Run("Import-KubeSnapshot -Path $args[0] | Find-KubeCredentialLeak", saved));
        Assert.Contains(session.Warnings, w => w.Contains("redacted", StringComparison.Ordinal) && w.Contains("skipped", StringComparison.Ordinal));
        Assert.Contains(leaks, f => f.Name == "app-config" && f.Evidence["Detector"] == "RedactedAsCredential");
    }

    [Fact]
    public void Test_KubeEncryptionConfiguration_reports_and_names_bad_files()
    {
        string dir = ModuleSession.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "enc.yaml"), "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: [{resources: [secrets], providers: [{identity: {}}]}]\n");
        File.WriteAllText(Path.Combine(dir, "other.yaml"), "apiVersion: v1\nkind: ConfigMap\n");
        using var session = new ModuleSession();
        Finding finding = Of<Finding>(session.Run("Test-KubeEncryptionConfiguration -ConfigurationPath $args[0], $args[1]", Path.Combine(dir, "enc.yaml"), Path.Combine(dir, "other.yaml"))).Single();
        Assert.Equal("KSEC-ENC-002", finding.RuleId);
        Assert.Equal("EncryptionConfigurationInvalid,KubeSecurity.Commands.TestKubeEncryptionConfigurationCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);

        // From a cluster: an API server static pod without the flag.
        File.WriteAllText(Path.Combine(dir, "apiserver.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}}\nspec: {containers: [{name: kube-apiserver, image: x, command: [kube-apiserver, --secure-port=6443]}]}\n");
        Finding missing = Of<Finding>(session.Run("Test-KubeEncryptionConfiguration -Path $args[0]", Path.Combine(dir, "apiserver.yaml"))).Single();
        Assert.Equal("KSEC-ENC-001", missing.RuleId);
        Assert.Equal("kube-apiserver-cp1", missing.Name);
        session.Run("Test-KubeEncryptionConfiguration -Path $args[0]", Path.Combine(ModuleSession.DemoCluster, "payments.yaml"));
        Assert.Contains(session.Warnings, w => w.Contains("No kube-apiserver pod", StringComparison.Ordinal));
        // The demo's API server names its configuration file, which only the control-plane node holds: said, not passed.
        Assert.Empty(session.Run("Test-KubeEncryptionConfiguration -Path $args[0]", ModuleSession.DemoCluster));
        Assert.Contains(session.Warnings, w => w.Contains("/etc/kubernetes/encryption/config.yaml", StringComparison.Ordinal) && w.Contains("not checked", StringComparison.Ordinal));
    }

    private static IEnumerable<JsonObject> LiveSecrets()
    {
        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "app" } };
        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "unused", ["namespace"] = "app" }, ["data"] = new JsonObject { ["k"] = "bGl2ZS12YWx1ZQ==" } };
        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "used", ["namespace"] = "app" }, ["data"] = new JsonObject { ["k"] = "eA==" } };
        yield return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = "app" },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "x" }),
                ["volumes"] = new JsonArray(new JsonObject { ["name"] = "v", ["secret"] = new JsonObject { ["secretName"] = "used" } }),
            },
        };
        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = "default", ["namespace"] = "app" } };
    }

    [Fact]
    public async Task Remove_KubeSecret_and_Set_KubeServiceAccount_change_the_live_cluster_only_as_asked()
    {
        await using KubeApiTestServer server = await KubeApiTestServer.StartAsync(LiveSecrets());
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        using var session = new ModuleSession();

        session.Run("Remove-KubeSecret -Kubeconfig $args[0] -Namespace app -Name unused -WhatIf", kubeconfig);
        Assert.Equal(2, server.Count("secrets"));

        session.Run("Remove-KubeSecret -Kubeconfig $args[0] -Namespace app -Name used -Confirm:$false", kubeconfig);
        Assert.Equal("SecretStillReferenced,KubeSecurity.Commands.RemoveKubeSecretCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
        Assert.Equal(2, server.Count("secrets"));
        session.Streams.Error.Clear();

        ApplyResult removed = Of<ApplyResult>(session.Run("Remove-KubeSecret -Kubeconfig $args[0] -Namespace app -Name unused -Confirm:$false", kubeconfig)).Single();
        Assert.Equal("Deleted", removed.Action);
        Assert.StartsWith("ksec-redacted:", removed.Previous!.Json.GetProperty("data").GetProperty("k").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, server.Count("secrets"));

        ApplyResult patched = Of<ApplyResult>(session.Run("Set-KubeServiceAccount -Kubeconfig $args[0] -Namespace app -AutomountServiceAccountToken $false -Confirm:$false", kubeconfig)).Single();
        Assert.Equal("Replaced", patched.Action);
        Assert.False(patched.Current.Json.GetProperty("automountServiceAccountToken").GetBoolean());
        Assert.False(patched.Previous!.Json.TryGetProperty("automountServiceAccountToken", out _));
        Assert.Equal("Unchanged", Of<ApplyResult>(session.Run("Set-KubeServiceAccount -Kubeconfig $args[0] -Namespace app -AutomountServiceAccountToken $false -Confirm:$false", kubeconfig)).Single().Action);

        KubeObject manifest = Of<KubeObject>(session.Run("Set-KubeServiceAccount -Namespace shop -AutomountServiceAccountToken $false -AsManifest")).Single();
        Assert.Equal("default", manifest.Name);
        Assert.Empty(session.Errors);
    }
}

/// <summary>Test-KubePodSecurity through the staged module.</summary>
public class PodSecurityCmdletTests
{
    [Fact]
    public void Test_KubePodSecurity_reports_the_demo_workloads_with_references_and_levels()
    {
        using var session = new ModuleSession();
        Finding[] baseline = session.Run("Test-KubePodSecurity -Path $args[0]", ModuleSession.DemoCluster).Select(o => o.BaseObject).OfType<Finding>().ToArray();
        Finding[] restricted = session.Run("Test-KubePodSecurity -Path $args[0] -Level Restricted", ModuleSession.DemoCluster).Select(o => o.BaseObject).OfType<Finding>().ToArray();
        Assert.Empty(session.Errors);
        Finding privileged = Assert.Single(baseline, f => f.RuleId == "KSEC-POD-003" && f.Name == "node-exporter");
        Assert.Contains("PSS Baseline: Privileged Containers", privileged.References);
        Assert.Contains("CIS Kubernetes Benchmark 5.2.1", privileged.References);
        Assert.DoesNotContain(baseline, f => f.RuleId == "KSEC-POD-014");
        Assert.Contains(restricted, f => f.RuleId == "KSEC-POD-014");
        Assert.True(restricted.Length > baseline.Length);
    }
}
