using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// A synthetic cluster of 10,000 Roles/ClusterRoles and 20,000 bindings (200 namespaces, 5,000
/// service accounts, 10,000 pods). Targets: index build under 1 s; a who-can query under 10 ms;
/// Test-KubeRbac over everything under 3 s; escalation paths of every service account under 10 s.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class RbacBenchmarks
{
    private KubeSnapshot? snapshot;
    private RbacPolicy? policy;
    private readonly RbacRequest whoCanRequest = RbacRequest.ForResource("get", "secrets", ns: "ns-17");
    private readonly RbacRequest whoCanCommonRequest = RbacRequest.ForResource("list", "pods", ns: "ns-17");

    [GlobalSetup]
    public void Setup()
    {
        snapshot = SyntheticRbacCluster.Build();
        policy = RbacPolicy.Build(snapshot);
    }

    [Benchmark]
    public int BuildIndex() => RbacPolicy.Build(snapshot!).Bindings.Count;

    [Benchmark]
    public int WhoCanGetSecretsInOneNamespace() => policy!.WhoCan(whoCanRequest, anyNamespace: false).Count;

    /// <summary>A request that thousands of rules grant: the answer itself is large.</summary>
    [Benchmark]
    public int WhoCanListPodsInOneNamespace() => policy!.WhoCan(whoCanCommonRequest, anyNamespace: false).Count;

    [Benchmark]
    public int TestKubeRbacOverEverything() => RbacReview.Run(snapshot!, policy!).Count;

    /// <summary>Get-KubeWorkloadIdentity: every workload's identity weighed, the escalation graph built when needed.</summary>
    [Benchmark]
    public int WorkloadIdentities() => WorkloadIdentityAnalyzer.Describe(snapshot!, policy!, () => RbacEscalationGraph.Build(policy!, EscalationTarget.Parse(null, null))).Count;

    [Benchmark]
    public int EscalationPathsOfEveryServiceAccount()
    {
        RbacEscalationGraph graph = RbacEscalationGraph.Build(policy!, EscalationTarget.Parse(null, null));
        int paths = 0;
        foreach (RbacSubject account in policy!.AllServiceAccounts())
        {
            paths += graph.PathsOf(account, 4, alternatives: false, includeDirect: false).Count;
        }

        return paths;
    }
}

/// <summary>Generates the RBAC of a large multi-tenant cluster with realistic rule shapes.</summary>
public static class SyntheticRbacCluster
{
    private const int Namespaces = 200;

    private static readonly string[] RuleShapes =
    {
        """{"apiGroups":[""],"resources":["pods","services","configmaps"],"verbs":["get","list","watch"]}""",
        """{"apiGroups":["apps"],"resources":["deployments","statefulsets"],"verbs":["get","list","watch","create","update","patch"]}""",
        """{"apiGroups":[""],"resources":["secrets"],"verbs":["get"],"resourceNames":["app-config"]}""",
        """{"apiGroups":["batch"],"resources":["jobs","cronjobs"],"verbs":["*"]}""",
        """{"apiGroups":[""],"resources":["pods/log","pods/exec"],"verbs":["get","create"]}""",
        """{"apiGroups":["networking.k8s.io"],"resources":["ingresses","networkpolicies"],"verbs":["get","list"]}""",
        """{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["get","update","create"]}""",
        """{"apiGroups":[""],"resources":["events"],"verbs":["create","patch"]}""",
    };

    public static KubeSnapshot Build()
    {
        var objects = new List<KubeObject>();
        void Add(string json) => objects.Add(KubeObject.Create(JsonDocument.Parse(json).RootElement, "synthetic"));
        for (int n = 0; n < Namespaces; n++)
        {
            Add($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns-{{{n}}}"}}""");
            for (int s = 0; s < 25; s++)
            {
                Add($$$"""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa-{{{s}}}","namespace":"ns-{{{n}}}"}}""");
            }

            for (int p = 0; p < 50; p++)
            {
                Add($$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-{{{p}}}","namespace":"ns-{{{n}}}"},"spec":{"serviceAccountName":"sa-{{{p % 25}}}","containers":[{"name":"c","image":"app:1"}]}}""");
            }
        }

        // 2,000 ClusterRoles (20 aggregated) and 8,000 Roles of 2-4 rules each.
        for (int i = 0; i < 2_000; i++)
        {
            string labels = $$$"""{"team":"t{{{i % 20}}}"}""";
            Add(i < 20
                ? $$$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"agg-{{{i}}}","labels":{"kind":"aggregate"}},"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"team":"t{{{i}}}"}}]},"rules":[]}"""
                : $$$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"cr-{{{i}}}","labels":{{{labels}}}},"rules":[{{{Rules(i)}}}]}""");
        }

        for (int i = 0; i < 8_000; i++)
        {
            Add($$$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"role-{{{i / Namespaces}}}","namespace":"ns-{{{i % Namespaces}}}"},"rules":[{{{Rules(i)}}}]}""");
        }

        // 4,000 ClusterRoleBindings and 16,000 RoleBindings to users, groups and service accounts.
        for (int i = 0; i < 4_000; i++)
        {
            string role = i % 100 == 0 ? "agg-" + (i / 100 % 20) : "cr-" + (20 + (i % 1_980));
            Add($$$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"crb-{{{i}}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"{{{role}}}"},"subjects":[{{{Subject(i)}}}]}""");
        }

        for (int i = 0; i < 16_000; i++)
        {
            int ns = i % Namespaces;
            string roleRef = i % 3 == 0
                ? $$$"""{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cr-{{{20 + (i % 1_980)}}}"}"""
                : $$$"""{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"role-{{{i / Namespaces % 40}}}"}""";
            Add($$$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb-{{{i}}}","namespace":"ns-{{{ns}}}"},"roleRef":{{{roleRef}}},"subjects":[{{{Subject(i)}}},{"kind":"ServiceAccount","name":"sa-{{{i % 25}}}"}]}""");
        }

        return new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, objects);
    }

    private static string Rules(int i) => string.Join(",", Enumerable.Range(0, 2 + (i % 3)).Select(k => RuleShapes[(i + k * 3) % RuleShapes.Length]));

    private static string Subject(int i) => (i % 3) switch
    {
        0 => $$$"""{"kind":"User","name":"user-{{{i % 500}}}@example.com","apiGroup":"rbac.authorization.k8s.io"}""",
        1 => $$$"""{"kind":"Group","name":"group-{{{i % 100}}}","apiGroup":"rbac.authorization.k8s.io"}""",
        _ => $$$"""{"kind":"ServiceAccount","name":"sa-{{{i % 25}}}","namespace":"ns-{{{i % Namespaces}}}"}""",
    };
}
