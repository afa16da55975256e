using System.Net;
using System.Text;
using KubeSecurity.Core.Network;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Network.NetworkFixtures;

namespace KubeSecurity.Core.Tests.Network;

/// <summary>
/// Default-deny plus -FromObserved policies, applied to the model, allow exactly the observed
/// connections and nothing else: checked over random clusters (fixed seeds, so failures repeat).
/// </summary>
public class GeneratedPolicyPropertyTests
{
    private static string Deployment(string ns, string name, string labels) =>
        $"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {{template: {{metadata: {{labels: {labels}}}, spec: {{containers: [{{name: c, image: x}}]}}}}}}\n";

    private static readonly int[] Ports = { 53, 80, 443, 5432, 8080 };
    private static readonly string[] Protocols = { "TCP", "UDP" };

    [Theory]
    [InlineData("Kubernetes")]
    [InlineData("Calico")]
    [InlineData("Cilium")]
    [InlineData("AdminNetworkPolicy")]
    [InlineData("BaselineAdminNetworkPolicy")]
    public void Generated_policies_allow_exactly_the_observed_connections(string flavor)
    {
        for (int seed = 1; seed <= 40; seed++)
        {
            var random = new Random(seed);
            var yaml = new StringBuilder();
            var workloads = new List<(string Ns, string Name)>();
            string[] namespaces = Enumerable.Range(0, random.Next(2, 5)).Select(i => $"ns{i}").ToArray();
            foreach (string ns in namespaces)
            {
                yaml.Append(Namespace(ns, random.Next(2) == 0 ? "{tier: a}" : "{tier: b}"));
                for (int w = 0; w < random.Next(1, 5); w++)
                {
                    string name = $"w{w}";
                    workloads.Add((ns, name));
                    // Shared extra labels make selectors realistic; the app label keeps workloads apart.
                    yaml.Append(Deployment(ns, name, $"{{app: {ns}-{name}, team: t{random.Next(2)}}}"));
                }
            }

            NetworkModel model = Build(yaml.ToString());
            var observed = new HashSet<(string From, string To, string Protocol, int Port)>();
            var flows = new List<ObservedFlow>();
            foreach ((string Ns, string Name) from in workloads)
            {
                foreach ((string Ns, string Name) to in workloads.Append(("", "203.0.113.7")))
                {
                    if (random.NextDouble() > 0.3)
                    {
                        continue;
                    }

                    string protocol = Protocols[random.Next(2)];
                    int port = Ports[random.Next(Ports.Length)];
                    observed.Add(($"{from.Ns}/{from.Name}", $"{to.Ns}/{to.Name}", protocol, port));
                    flows.Add(new ObservedFlow(null, from.Ns, from.Name, null, to.Ns.Length == 0 ? null : to.Ns, to.Name, PortSet.Of(protocol, port, port)));
                }
            }

            var warnings = new List<string>();
            // The baseline is one object for every namespace (the API holds only "default").
            List<KubeObject> policies = flavor == NetworkPolicyGenerator.BaselineAdminNetworkPolicy
                ? new List<KubeObject> { NetworkPolicyGenerator.BaselineDefaultDeny(namespaces, true, true, allowDns: false) }
                : namespaces.Select(ns => NetworkPolicyGenerator.DefaultDeny(ns, true, true, allowDns: false, flavor)).ToList();
            policies.AddRange(NetworkPolicyGenerator.FromObserved(model, flows, flavor, warnings));
            NetworkModel enforced = NetworkModel.Build(Snapshot(yaml.ToString()), policies);
            Assert.Empty(enforced.Problems);
            Assert.Empty(enforced.Unevaluated);
            Assert.Equal(flavor switch { "Cilium" => policies.Count, _ => 0 }, enforced.CiliumPolicies.Count);

            foreach ((string Ns, string Name) from in workloads)
            {
                NetworkEndpoint source = At(enforced, $"{from.Ns}/{from.Name}");
                foreach ((string Ns, string Name) to in workloads.Append(("", "203.0.113.7")))
                {
                    NetworkEndpoint destination = to.Ns.Length == 0 ? NetworkEndpoint.External(IPAddress.Parse(to.Name)) : At(enforced, $"{to.Ns}/{to.Name}");
                    PortSet allowed = enforced.AllowedPorts(source, destination);
                    foreach (string protocol in Protocols)
                    {
                        foreach (int port in Ports.Append(9999))
                        {
                            bool expected = observed.Contains(($"{from.Ns}/{from.Name}", $"{to.Ns}/{to.Name}", protocol, port));
                            Assert.True(expected == allowed.Contains(protocol, port),
                                $"seed {seed}: {from.Ns}/{from.Name} -> {to.Ns}/{to.Name} {protocol}/{port}: expected {(expected ? "allowed" : "denied")}, model says {allowed}");
                        }
                    }
                }

                // Nothing else outside the cluster.
                Assert.True(enforced.AllowedPorts(source, NetworkEndpoint.External(IPAddress.Parse("198.51.100.1"))).IsEmpty, $"seed {seed}");
            }
        }
    }

    [Fact]
    public void Calico_output_is_generated_for_the_same_flows_and_names_selectors_in_calico_syntax()
    {
        NetworkModel model = Build(Namespace("a") + Pod("a", "web-0", "{app: web}") + Pod("a", "db-0", "{app: db}"));
        var warnings = new List<string>();
        List<KubeObject> policies = NetworkPolicyGenerator.FromObserved(model,
            new[] { new ObservedFlow(null, "a", "web-0", null, "a", "db-0", PortSet.Of("TCP", 5432, 5432)) }, NetworkPolicyGenerator.Calico, warnings);
        KubeObject ingress = policies.Single(p => p.Name == "allow-ingress-db-0");
        Assert.Equal("projectcalico.org/v3", ingress.ApiVersion);
        string json = ingress.ToJson();
        Assert.Contains("\"selector\": \"app == \\u0027db\\u0027\"", json, StringComparison.Ordinal);
        Assert.Contains("5432", json, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/metadata.name == \\u0027a\\u0027", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_deny_keeps_dns_unless_told_otherwise_and_namespace_isolation_allows_only_the_namespace()
    {
        string cluster = Namespace("a") + Namespace("b") + Namespace("kube-system") + Pod("a", "web", "{app: web}") + Pod("a", "cli", "{app: cli}") + Pod("b", "x", "{app: x}") + Pod("kube-system", "dns", "{k8s-app: kube-dns}");
        NetworkModel model = NetworkModel.Build(Snapshot(cluster), new[] { NetworkPolicyGenerator.DefaultDeny("a", true, true, allowDns: true), NetworkPolicyGenerator.NamespaceIsolation("b") });
        Assert.True(Allowed(model, "a/web", "kube-system/dns", "UDP", 53));
        Assert.False(Allowed(model, "a/web", "kube-system/dns", "TCP", 80));
        Assert.False(Allowed(model, "a/cli", "a/web"));
        Assert.False(Allowed(model, "a/web", "b/x")); // a's egress is closed
        Assert.False(Allowed(model, "kube-system/dns", "b/x"));
        Assert.True(Allowed(model, "b/x", "b/x"));
    }

    [Fact]
    public void What_if_reports_connections_newly_blocked_and_newly_allowed()
    {
        string cluster = Namespace("a") + Pod("a", "web", "{app: web}") + Pod("a", "cli", "{app: cli}");
        KubeSnapshot snapshot = Snapshot(cluster);
        NetworkModel current = NetworkModel.Build(snapshot);
        NetworkModel proposed = NetworkModel.Build(snapshot, new[] { NetworkPolicyGenerator.DefaultDeny("a", true, false, false) });
        List<NetworkConnectivityChange> changes = ConnectivityDiff.Compare(current, proposed);
        Assert.Contains(changes, c => c.Change == "NewlyBlocked" && c.Source == "a/cli" && c.Destination == "a/web" && c.Ports.SequenceEqual(new[] { "any" }));
        Assert.DoesNotContain(changes, c => c.Change == "NewlyAllowed");
        Assert.Empty(ConnectivityDiff.Compare(current, current));
    }

    [Theory]
    [InlineData("Cilium")]
    [InlineData("AdminNetworkPolicy")]
    [InlineData("BaselineAdminNetworkPolicy")]
    public void Cluster_wide_and_cilium_default_deny_keep_dns_and_namespace_isolation_keeps_the_namespace(string flavor)
    {
        string cluster = Namespace("a") + Namespace("b") + Namespace("kube-system") + Pod("a", "web", "{app: web}") + Pod("a", "cli", "{app: cli}") + Pod("b", "x", "{app: x}") + Pod("b", "y", "{app: y}") + Pod("kube-system", "dns", "{k8s-app: kube-dns}");
        NetworkModel denied = NetworkModel.Build(Snapshot(cluster), new[] { NetworkPolicyGenerator.DefaultDeny("a", true, true, allowDns: true, flavor) });
        Assert.Empty(denied.Problems);
        Assert.True(Allowed(denied, "a/web", "kube-system/dns", "UDP", 53));
        Assert.False(Allowed(denied, "a/web", "kube-system/dns", "TCP", 80));
        Assert.False(Allowed(denied, "a/cli", "a/web"));
        Assert.False(Allowed(denied, "a/web", "b/x"));
        Assert.True(Allowed(denied, "b/x", "b/y"));

        NetworkModel isolated = NetworkModel.Build(Snapshot(cluster), new[] { NetworkPolicyGenerator.NamespaceIsolation("b", flavor) });
        Assert.Empty(isolated.Problems);
        Assert.True(Allowed(isolated, "b/x", "b/y"));
        Assert.False(Allowed(isolated, "a/web", "b/x"));
        Assert.True(Allowed(isolated, "b/x", "a/web"));
    }
}
