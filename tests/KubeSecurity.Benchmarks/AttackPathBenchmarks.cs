using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KubeSecurity.Core.AttackPaths;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// Issue 20's targets on the 80,000-object synthetic cluster, given something to attack: in each of
/// its 200 namespaces a LoadBalancer Service in front of w1 with a policy that opens it to the Internet, a privileged log agent that w1 may reach, running on one of
/// 50 nodes, and in every tenth namespace an operator whose account is cluster-admin, running on a
/// node too. Targets: the graph and every shortest path to cluster-admin (the audit's three path
/// classes) under 10 s and 1 GB allocated; one -From/-To query on a built graph under 50 ms.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class AttackPathBenchmarks
{
    private KubeSnapshot? snapshot;
    private RbacPolicy? policy;
    private AttackGraph? graph;

    [GlobalSetup]
    public void Setup()
    {
        snapshot = Build();
        policy = RbacPolicy.Build(snapshot);
        graph = AttackGraph.Build(snapshot, policy);
        List<Finding> findings = AttackPathAnalyzer.Findings(graph);
        Console.WriteLine($"// {SyntheticAuditCluster.Describe(snapshot)}; {graph.Workloads.Count} workloads, {graph.ExposedWorkloads.Count()} exposed, {graph.EscapableWorkloads.Count()} escapable; {findings.Count} path findings");
    }

    [Benchmark]
    public int GraphAndAllPathsToClusterAdmin()
    {
        // The RBAC policy, the network model, the graph, and every path the audit reports.
        AttackGraph built = AttackGraph.Build(snapshot!, RbacPolicy.Build(snapshot!));
        return AttackPathAnalyzer.Findings(built).Count;
    }

    [Benchmark]
    public int OneQueryOnABuiltGraph() => graph!.Find("Deployment/ns-7/w1", "cluster-admin").Count;

    public static KubeSnapshot Build()
    {
        var objects = new List<KubeObject>(SyntheticAuditCluster.Build().Objects);
        void Add(string json) => objects.Add(KubeObject.Create(JsonDocument.Parse(json).RootElement, "attack-paths"));
        for (int n = 0; n < 50; n++)
        {
            Add($$$"""{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-{{{n}}}"}}""");
        }

        for (int i = 0; i < 200; i++)
        {
            string ns = $"ns-{i}";
            Add($$$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"w1-public","namespace":"{{{ns}}}"},"spec":{"type":"LoadBalancer","selector":{"app":"w1"},"ports":[{"port":443,"targetPort":"http"}]}}""");
            // Every namespace denies by default: w1 is opened to the Internet, and the agent to w1.
            Add($$$"""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"w1-public","namespace":"{{{ns}}}"},"spec":{"podSelector":{"matchLabels":{"app":"w1"}},"ingress":[{"from":[{"ipBlock":{"cidr":"0.0.0.0/0"}}],"ports":[{"port":"http"}]}]}}""");
            Add("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"agent-from-w1","namespace":"@NS@"},"spec":{"podSelector":{"matchLabels":{"app":"log-agent"}},"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"w1"}}}]}]}}""".Replace("@NS@", ns, StringComparison.Ordinal));
            Add($$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"log-agent","namespace":"{{{ns}}}","labels":{"app":"log-agent"}},"spec":{"nodeName":"node-{{{i % 50}}}","automountServiceAccountToken":false,"containers":[{"name":"agent","image":"agent:1","securityContext":{"privileged":true},"ports":[{"containerPort":24224}]}]},"status":{"phase":"Running"}}""");
            if (i % 10 == 0)
            {
                Add($$$"""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"operator","namespace":"{{{ns}}}"}}""");
                Add($$$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"operator-{{{ns}}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"ServiceAccount","name":"operator","namespace":"{{{ns}}}"}]}""");
                Add($$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"operator","namespace":"{{{ns}}}"},"spec":{"nodeName":"node-{{{(i * 7) % 50}}}","serviceAccountName":"operator","containers":[{"name":"op","image":"operator:1"}]},"status":{"phase":"Running"}}""");
            }
        }

        return SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, objects, null, null, false, Array.Empty<string>(), out _);
    }
}
