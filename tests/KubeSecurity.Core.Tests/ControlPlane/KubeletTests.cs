using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.ControlPlane;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.ControlPlane.ControlPlaneFixtures;

namespace KubeSecurity.Core.Tests.ControlPlane;

/// <summary>
/// The kubelet controls on KubeletConfigurations written from the benchmark's text: each fails on
/// its violating fields and passes on a hardened configuration; absent fields take the
/// kubelet.config.k8s.io/v1beta1 defaults; sources are files, /configz answers and the kubeadm ConfigMap.
/// </summary>
public class KubeletTests
{

    private static JsonObject Configuration(IReadOnlyDictionary<string, object?>? changes = null)
    {
        var root = new JsonObject { ["apiVersion"] = "kubelet.config.k8s.io/v1beta1", ["kind"] = "KubeletConfiguration" };
        var fields = new Dictionary<string, object?>(KubeletChecks.Hardened);
        foreach (var change in changes ?? new Dictionary<string, object?>())
        {
            fields[change.Key] = change.Value;
        }

        foreach (var field in fields.Where(f => f.Value is not null).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            string[] parts = field.Key.Split('.');
            JsonObject parent = root;
            foreach (string part in parts[..^1])
            {
                parent = parent[part] as JsonObject ?? (JsonObject)(parent[part] = new JsonObject());
            }

            parent[parts[^1]] = JsonSerializer.SerializeToNode(field.Value);
        }

        return root;
    }

    private static string ConfigMap(JsonObject configuration) =>
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubelet-config, namespace: kube-system}\ndata:\n  kubelet: |\n"
        + string.Concat(configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Split('\n').Select(l => "    " + l.TrimEnd('\r') + "\n"));

    private static List<ControlCheck> Check(string yaml)
    {
        var problems = new List<string>();
        List<ControlCheck> results = KubeletAnalyzer.Check(KubeletConfigurations.Find(Rbac.RbacFixtures.FromYaml(yaml), problems));
        Assert.Empty(problems);
        return results;
    }

    public static TheoryData<string> CheckIds()
    {
        var data = new TheoryData<string>();
        foreach (var check in KubeletChecks.All)
        {
            data.Add(check.RuleId);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Each_check_fails_on_its_violating_fields_and_passes_on_a_hardened_configuration(string ruleId)
    {
        KubeletCheck check = KubeletChecks.All.Single(c => c.RuleId == ruleId);
        string compliant = ConfigMap(Configuration());
        string violating = ConfigMap(Configuration(check.Violating));
        Assert.Equal(ControlStatus.Pass, Assert.Single(Check(compliant), r => r.RuleId == ruleId).Status);
        Assert.Equal(ControlStatus.Fail, Assert.Single(Check(violating), r => r.RuleId == ruleId).Status);

        string header = $"# {check.Definition.Title}: {ControlPlaneRules.Benchmark} {check.Definition.Control}, from the kubeadm kubelet-config ConfigMap. Written by KubeletTests from the check table.\n";
        FixtureIsCurrent($"{ruleId}.violating.yaml", header + violating);
        FixtureIsCurrent($"{ruleId}.compliant.yaml", header + compliant);
    }

    [Fact]
    public void Without_a_configuration_the_controls_are_not_checkable_and_one_finding_says_so()
    {
        const string none = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
        FixtureIsCurrent($"{KubeletRules.NotVisible}.violating.yaml", "# No kubelet configuration in the input.\n" + none);
        FixtureIsCurrent($"{KubeletRules.NotVisible}.compliant.yaml", "# The kubeadm kubelet-config ConfigMap is in the input.\n" + ConfigMap(Configuration()));
        List<ControlCheck> results = Check(none);
        Assert.All(results, r => Assert.Equal(ControlStatus.NotCheckable, r.Status));
        Assert.Equal(KubeletRules.NotVisible, Assert.Single(KubeletAnalyzer.Findings(results, "input")).RuleId);
    }

    [Fact]
    public void Absent_fields_take_the_configuration_files_defaults_not_the_flags()
    {
        // An empty KubeletConfiguration: anonymous off, Webhook, read-only port closed (unlike the flags' defaults);
        // no rotation, no PID limit, no seccomp default, no client CA.
        var problems = new List<string>();
        KubeletConfigurationSource source = KubeletConfigurations.Read("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n", "/var/lib/kubelet/config.yaml", problems)!;
        Assert.Empty(problems);
        List<ControlCheck> results = KubeletAnalyzer.Check(new[] { source });
        ControlStatus Status(string control) => results.Single(r => r.Control == control).Status;
        Assert.Equal(ControlStatus.Pass, Status("4.2.1"));
        Assert.Equal(ControlStatus.Pass, Status("4.2.2"));
        Assert.Equal(ControlStatus.Pass, Status("4.2.4"));
        Assert.Equal(ControlStatus.Pass, Status("4.2.5"));
        Assert.Equal(ControlStatus.Pass, Status("4.2.6"));
        Assert.Equal(ControlStatus.Fail, Status("4.2.3"));
        Assert.Equal(ControlStatus.Fail, Status("4.2.10"));
        Assert.Equal(ControlStatus.Fail, Status("4.2.13"));
        Assert.Equal(new ResourceRef("KubeletConfiguration", null, "config.yaml"), results[0].Pod);
    }

    [Fact]
    public void A_saved_configz_answer_is_read_as_the_nodes_effective_configuration()
    {
        var problems = new List<string>();
        string configz = """{"kubeletconfig": {"authentication": {"anonymous": {"enabled": true}}, "authorization": {"mode": "AlwaysAllow"}, "readOnlyPort": 10255}}""";
        KubeletConfigurationSource source = KubeletConfigurations.Read(configz, "node-1.configz.json", problems)!;
        List<ControlCheck> results = KubeletAnalyzer.Check(new[] { source });
        Assert.Equal(ControlStatus.Fail, results.Single(r => r.Control == "4.2.1").Status);
        Assert.Equal(ControlStatus.Fail, results.Single(r => r.Control == "4.2.2").Status);
        Assert.Equal(ControlStatus.Fail, results.Single(r => r.Control == "4.2.4").Status);

        Assert.Null(KubeletConfigurations.Read("apiVersion: v1\nkind: ConfigMap\n", "wrong.yaml", problems));
        Assert.Contains(problems, p => p.Contains("is not a KubeletConfiguration", StringComparison.Ordinal));
        Assert.Null(KubeletConfigurations.Read("a: [unclosed", "broken.yaml", problems));
        Assert.Contains(problems, p => p.StartsWith("broken.yaml is not valid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_demo_cluster_live_shows_the_planted_kubelet_problems_of_each_node()
    {
        (KubeSecurity.TestApiServer.KubeApiTestServer server, string kubeconfig) = await LiveServer.StartAsync();
        await using (server)
        {
            using var connection = Live.KubeConnection.Open(new Live.LiveConnectionOptions { KubeconfigPath = kubeconfig });
            KubeSnapshot live = await new Live.LiveSnapshotCollector(connection, new Live.LiveSnapshotOptions { Kinds = new[] { "Node", "ConfigMap" }, KubeletConfigz = true, InitialRetryDelay = TimeSpan.FromMilliseconds(10) }).CollectAsync(CancellationToken.None);
            var problems = new List<string>();
            List<ControlCheck> results = KubeletAnalyzer.Check(KubeletConfigurations.Find(live, problems));

            // DEMO-KUBELET-1: the read-only port on every node; DEMO-KUBELET-2: anonymous requests on worker-2 alone.
            Assert.Equal(new[] { "cp-1", "kubelet-config", "worker-1", "worker-2" }, results.Where(r => r.RuleId == "KSEC-KUBELET-005" && r.Status == ControlStatus.Fail).Select(r => r.Pod!.Name).Order(StringComparer.Ordinal));
            Assert.Equal("worker-2", Assert.Single(results, r => r.RuleId == "KSEC-KUBELET-002" && r.Status == ControlStatus.Fail).Pod!.Name);
            Assert.Empty(problems);
        }
    }
}
