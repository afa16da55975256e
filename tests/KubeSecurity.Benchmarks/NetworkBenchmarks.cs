using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KubeSecurity.Core.Network;
using KubeSecurity.Model;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// 5,000 pods (25 per namespace, 5 Deployments each) in 200 namespaces with 1,000 NetworkPolicies.
/// Targets: coverage under 1 s; the connectivity map under 5 s and 2 GB; one question under 5 ms
/// once the model is built.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class NetworkBenchmarks
{
    private KubeSnapshot? snapshot;
    private NetworkModel? model;
    private NetworkEndpoint? from;
    private NetworkEndpoint? to;

    [GlobalSetup]
    public void Setup()
    {
        snapshot = SyntheticNetworkCluster.Build();
        model = NetworkModel.Build(snapshot);
        from = EndpointResolver.Resolve(model, "ns-3/w1", out _).Single();
        to = EndpointResolver.Resolve(model, "ns-3/w0", out _).Single();
    }

    [Benchmark]
    public int BuildModelAndCoverage() => NetworkCoverageAnalyzer.Analyze(NetworkModel.Build(snapshot!)).Count;

    [Benchmark]
    public int ConnectivityMap() => ConnectivityMapper.Map(NetworkModel.Build(snapshot!)).Count;

    /// <summary>The map on a model already built (and its selector caches warm): what the pair loop itself costs.</summary>
    [Benchmark]
    public int ConnectivityMapOnBuiltModel() => ConnectivityMapper.Map(model!).Count;

    [Benchmark]
    public bool OneConnectivityQuestion() => model!.Evaluate(from!, to!).Allowed.Contains("TCP", 8080);
}

/// <summary>
/// The same cluster plus 50 AdminNetworkPolicies (priorities 0-49: denies, passes and allows on
/// ports and networks), the BaselineAdminNetworkPolicy and 200 CiliumNetworkPolicies (evaluated
/// at L4; their HTTP rules mark the pods they select Partial). Targets as above.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class NetworkTierBenchmarks
{
    private KubeSnapshot? snapshot;

    [GlobalSetup]
    public void Setup() => snapshot = SyntheticNetworkCluster.Build(adminAndCilium: true);

    [Benchmark]
    public int BuildModelAndCoverage() => NetworkCoverageAnalyzer.Analyze(NetworkModel.Build(snapshot!)).Count;

    [Benchmark]
    public int ConnectivityMap() => ConnectivityMapper.Map(NetworkModel.Build(snapshot!)).Count;
}

public static class SyntheticNetworkCluster
{
    public static KubeSnapshot Build(bool adminAndCilium = false)
    {
        var objects = new List<KubeObject>();
        void Add(string json, params (string Token, object Value)[] values)
        {
            foreach ((string token, object value) in values)
            {
                json = json.Replace(token, value.ToString(), StringComparison.Ordinal);
            }

            objects.Add(KubeObject.Create(JsonDocument.Parse(json).RootElement, "synthetic"));
        }

        for (int n = 0; n < 200; n++)
        {
            var ns = ("@NS@", (object)$"ns-{n}");
            var net = ("@NET@", (object)(n % 250));
            Add("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"@NS@","labels":{"tier":"@TIER@"}}}""", ns, ("@TIER@", n % 4 == 0 ? "frontend" : "backend"));
            for (int w = 0; w < 5; w++)
            {
                var workload = ("@W@", (object)$"w{w}");
                Add("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"@W@-5d8f","namespace":"@NS@","ownerReferences":[{"kind":"Deployment","name":"@W@"}]}}""", ns, workload);
                Add("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"@W@","namespace":"@NS@"},"spec":{"template":{"metadata":{"labels":{"app":"@W@"}}}}}""", ns, workload);
                for (int p = 0; p < 5; p++)
                {
                    Add("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"@W@-5d8f-@P@","namespace":"@NS@","labels":{"app":"@W@","pod-template-hash":"5d8f"},"ownerReferences":[{"kind":"ReplicaSet","name":"@W@-5d8f"}]},"spec":{"containers":[{"name":"c","image":"app:1","ports":[{"name":"http","containerPort":8080}]}]},"status":{"phase":"Running","podIP":"10.@HI@.@NET@.@LO@"}}""",
                        ns, workload, ("@P@", p), ("@HI@", n / 250), net, ("@LO@", (w * 10) + p + 1));
                }
            }

            // Five policies per namespace: default-deny, DNS and same-namespace egress, a same-namespace allow, a cross-namespace allow, an ipBlock allow.
            Add("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"default-deny","namespace":"@NS@"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"]}}""", ns);
            Add("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"dns","namespace":"@NS@"},"spec":{"podSelector":{},"policyTypes":["Egress"],"egress":[{"to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},"podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}],"ports":[{"port":53,"protocol":"UDP"},{"port":53,"protocol":"TCP"}]},{"to":[{"podSelector":{}}]}]}}""", ns);
            Add("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"w0-from-w1","namespace":"@NS@"},"spec":{"podSelector":{"matchLabels":{"app":"w0"}},"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"w1"}}}],"ports":[{"port":"http"}]}]}}""", ns);
            Add("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"w2-from-frontends","namespace":"@NS@"},"spec":{"podSelector":{"matchLabels":{"app":"w2"}},"ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"tier":"frontend"}},"podSelector":{"matchExpressions":[{"key":"app","operator":"In","values":["w3","w4"]}]}}],"ports":[{"port":8080,"endPort":8090}]}]}}""", ns);
            Add("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"w3-from-office","namespace":"@NS@"},"spec":{"podSelector":{"matchLabels":{"app":"w3"}},"ingress":[{"from":[{"ipBlock":{"cidr":"192.168.@NET@.0/24","except":["192.168.@NET@.128/25"]}}]}]}}""", ns, net);
        }

        if (adminAndCilium)
        {
            for (int a = 0; a < 50; a++)
            {
                var name = ("@NAME@", (object)$"admin-{a}");
                var priority = ("@PRIORITY@", (object)a);
                var ns = ("@NS@", (object)$"ns-{a * 4}");
                switch (a % 4)
                {
                    case 0: // no SSH into backends from frontends
                        Add("""{"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"AdminNetworkPolicy","metadata":{"name":"@NAME@"},"spec":{"priority":@PRIORITY@,"subject":{"namespaces":{"matchLabels":{"tier":"backend"}}},"ingress":[{"name":"no-ssh","action":"Deny","from":[{"namespaces":{"matchLabels":{"tier":"frontend"}}}],"ports":[{"portNumber":{"protocol":"TCP","port":22}}]}]}}""", name, priority);
                        break;
                    case 1: // one namespace's w2 hands its traffic from w3 to NetworkPolicy, denies the rest of 8000-9000
                        Add("""{"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"AdminNetworkPolicy","metadata":{"name":"@NAME@"},"spec":{"priority":@PRIORITY@,"subject":{"pods":{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"@NS@"}},"podSelector":{"matchLabels":{"app":"w2"}}}},"ingress":[{"name":"pass-w3","action":"Pass","from":[{"pods":{"namespaceSelector":{},"podSelector":{"matchLabels":{"app":"w3"}}}}]},{"name":"deny-range","action":"Deny","from":[{"namespaces":{}}],"ports":[{"portRange":{"protocol":"TCP","start":8000,"end":9000}}]}]}}""", name, priority, ns);
                        break;
                    case 2: // no public DNS resolvers
                        Add("""{"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"AdminNetworkPolicy","metadata":{"name":"@NAME@"},"spec":{"priority":@PRIORITY@,"subject":{"namespaces":{}},"egress":[{"name":"no-public-dns","action":"Deny","to":[{"networks":["8.8.8.8/32","1.1.1.1/32"]}],"ports":[{"portNumber":{"protocol":"UDP","port":53}}]}]}}""", name, priority);
                        break;
                    default: // monitoring may scrape http everywhere
                        Add("""{"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"AdminNetworkPolicy","metadata":{"name":"@NAME@"},"spec":{"priority":@PRIORITY@,"subject":{"namespaces":{"matchLabels":{"kubernetes.io/metadata.name":"@NS@"}}},"ingress":[{"name":"scrape","action":"Allow","from":[{"pods":{"namespaceSelector":{"matchLabels":{"tier":"frontend"}},"podSelector":{"matchLabels":{"app":"w4"}}}}],"ports":[{"namedPort":"http"}]}]}}""", name, priority, ns);
                        break;
                }
            }

            Add("""{"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"BaselineAdminNetworkPolicy","metadata":{"name":"default"},"spec":{"subject":{"namespaces":{}},"ingress":[{"name":"frontends-only","action":"Deny","from":[{"namespaces":{"matchLabels":{"tier":"backend"}}}]}]}}""");
            for (int n = 0; n < 200; n++)
            {
                Add("""{"apiVersion":"cilium.io/v2","kind":"CiliumNetworkPolicy","metadata":{"name":"l7-w4","namespace":"@NS@"},"spec":{"endpointSelector":{"matchLabels":{"k8s:app":"w4"}},"ingress":[{"fromEndpoints":[{"matchLabels":{"app":"w3"}}],"toPorts":[{"ports":[{"port":"8080","protocol":"TCP"}],"rules":{"http":[{"method":"GET"}]}}]}]}}""", ("@NS@", $"ns-{n}"));
            }
        }

        return new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, objects);
    }
}
