using KubeSecurity.Core.Network;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Network.NetworkFixtures;

namespace KubeSecurity.Core.Tests.Network;

/// <summary>
/// No unqualified answer where something not evaluated could change it: each connectivity result,
/// map row and coverage row says Exact, Partial (naming what was not evaluated) or OutOfScope.
/// </summary>
public class NetworkCompletenessTests
{
    private static readonly string Cluster =
        Namespace("shop") + Namespace("payments") + Namespace("ops") +
        Pod("shop", "web", "{app: web}") + Pod("payments", "api", "{app: api}") + Pod("payments", "worker", "{app: worker}") + Pod("ops", "tool", "{app: tool}");

    private const string CiliumPolicy = """
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api-l7, namespace: payments}
        spec:
          endpointSelector: {matchLabels: {"k8s:app": api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app: web}}]
            toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: GET}]}}]
        """ + "\n";

    [Fact]
    public void A_cilium_policy_makes_answers_about_the_pods_it_selects_partial_and_only_those()
    {
        NetworkModel model = Build(Cluster + CiliumPolicy);
        ConnectivityResult toApi = ConnectivityVerdict.Decide(model, At(model, "shop/web"), At(model, "payments/api"), "TCP", 80);
        // Evaluated at L4: fromEndpoints of a namespaced policy means its own namespace, so shop/web is refused;
        // the L7 rule is not evaluated, so the answer says it is partial.
        Assert.False(toApi.Allowed);
        Assert.Equal(NetworkCompleteness.Partial, toApi.Completeness);
        Assert.Contains(toApi.CompletenessNotes, n => n.Contains("CiliumNetworkPolicy/payments/api-l7", StringComparison.Ordinal) && n.Contains("L7", StringComparison.Ordinal));
        Assert.Contains("partial", toApi.Reason, StringComparison.Ordinal);

        Assert.Equal(NetworkCompleteness.Exact, ConnectivityVerdict.Decide(model, At(model, "shop/web"), At(model, "payments/worker"), "TCP", 80).Completeness);

        List<NetworkConnection> map = ConnectivityMapper.Map(model);
        Assert.All(map.Where(c => c.Source == "api" || c.Destination == "api"), c => Assert.Equal(NetworkCompleteness.Partial, c.Completeness));
        Assert.All(map.Where(c => c.Source != "api" && c.Destination != "api"), c => Assert.Equal(NetworkCompleteness.Exact, c.Completeness));

        Assert.Equal(NetworkCompleteness.Partial, Assert.Single(NetworkCoverageAnalyzer.Analyze(model), r => r.Name == "api").Completeness);
        Assert.Equal(NetworkCompleteness.Exact, Assert.Single(NetworkCoverageAnalyzer.Analyze(model), r => r.Name == "worker").Completeness);
    }

    [Theory]
    [InlineData("policy.networking.k8s.io/v1alpha2", "ClusterNetworkPolicy", "")]
    [InlineData("k8s.cni.cncf.io/v1beta1", "MultiNetworkPolicy", "payments")]
    [InlineData("k8s.ovn.org/v1", "UserDefinedNetwork", "payments")]
    [InlineData("crd.antrea.io/v1beta1", "ClusterNetworkPolicy", "")]
    [InlineData("example.net/v1", "FancyNetworkPolicy", "payments")]
    public void Unmodelled_policy_kinds_are_named_on_the_answers_they_could_change(string apiVersion, string kind, string ns)
    {
        string metadata = ns.Length > 0 ? $"{{name: x, namespace: {ns}}}" : "{name: x}";
        NetworkModel model = Build(Cluster + $"---\napiVersion: {apiVersion}\nkind: {kind}\nmetadata: {metadata}\nspec: {{}}\n");
        ConnectivityResult inScope = ConnectivityVerdict.Decide(model, At(model, "shop/web"), At(model, "payments/api"), "TCP", 80);
        Assert.Equal(NetworkCompleteness.Partial, inScope.Completeness);
        Assert.Contains(inScope.CompletenessNotes, n => n.Contains(kind, StringComparison.Ordinal));
        NetworkCompleteness elsewhere = ConnectivityVerdict.Decide(model, At(model, "shop/web"), At(model, "ops/tool"), "TCP", 80).Completeness;
        Assert.Equal(ns.Length > 0 ? NetworkCompleteness.Exact : NetworkCompleteness.Partial, elsewhere);
    }

    [Fact]
    public void A_network_kind_that_could_not_be_collected_makes_every_answer_partial()
    {
        KubeSnapshot complete = Snapshot(Cluster);
        var snapshot = new KubeSnapshot(SnapshotSource.Live, "c", "c", "https://x", DateTimeOffset.UtcNow, complete.Objects,
            new[] { new MissingKind("AdminNetworkPolicy", "forbidden: cannot list", 403) });
        NetworkModel model = NetworkModel.Build(snapshot);
        ConnectivityResult result = ConnectivityVerdict.Decide(model, At(model, "shop/web"), At(model, "ops/tool"), "TCP", 80);
        Assert.Equal(NetworkCompleteness.Partial, result.Completeness);
        Assert.Contains(result.CompletenessNotes, n => n.Contains("AdminNetworkPolicy objects could not be collected", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_anything_unmodelled_every_answer_is_exact()
    {
        NetworkModel model = Build(Cluster);
        Assert.Empty(model.Unevaluated);
        Assert.All(ConnectivityMapper.Map(model), c => Assert.Equal(NetworkCompleteness.Exact, c.Completeness));
    }

    [Fact]
    public void Host_network_workloads_are_listed_in_the_map_as_out_of_scope_like_the_question_answers()
    {
        NetworkModel model = Build(Cluster + Pod("ops", "node-agent", "{app: agent}", hostNetwork: true));
        List<NetworkConnection> map = ConnectivityMapper.Map(model);
        NetworkConnection outgoing = Assert.Single(map, c => c.Source == "node-agent");
        Assert.Equal(NetworkCompleteness.OutOfScope, outgoing.Completeness);
        Assert.Equal("*", outgoing.Destination);
        Assert.Single(map, c => c.Destination == "node-agent" && c.Source == "*");
        Assert.Equal(2, map.Count(c => c.Completeness == NetworkCompleteness.OutOfScope));
        Assert.Equal(NetworkCompleteness.OutOfScope, ConnectivityVerdict.Decide(model, At(model, "shop/web"), At(model, "ops/node-agent"), "TCP", 80).Completeness);
        Assert.Equal(NetworkCompleteness.OutOfScope, Assert.Single(NetworkCoverageAnalyzer.Analyze(model), r => r.Name == "node-agent").Completeness);
        Assert.DoesNotContain("node-agent", ConnectivityMapper.ToCsv(ConnectivityMapper.InScope(map)), StringComparison.Ordinal);
    }

    [Fact]
    public void Pods_whose_owner_reference_lacks_a_kind_are_grouped_by_the_owner_name_with_a_note()
    {
        const string workload = """
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: api-5d9f, namespace: payments, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, controller: true}]}
            spec: {selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: payments}
            spec: {selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: x}]}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api-5d9f-abcde, namespace: payments, labels: {app: api}, ownerReferences: [{apiVersion: apps/v1, name: api-5d9f, controller: true}]}
            spec: {containers: [{name: c, image: x}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: lost-xyz, namespace: payments, labels: {app: lost}, ownerReferences: [{name: lost}]}
            spec: {containers: [{name: c, image: x}]}
            """ + "\n";
        NetworkModel model = Build(Namespace("payments") + workload);
        PodClass api = Assert.Single(model.Classes, c => c.Labels.GetValueOrDefault("app") == "api");
        Assert.Equal(new ResourceRef("Deployment", "payments", "api"), Assert.Single(api.Workloads));
        PodClass lost = Assert.Single(model.Classes, c => c.Labels.GetValueOrDefault("app") == "lost");
        Assert.Equal(new ResourceRef("Owner", "payments", "lost"), Assert.Single(lost.Workloads));
        Assert.Equal(2, model.GroupingNotes.Count);
        Assert.Contains(model.GroupingNotes, n => n.Contains("grouped under ReplicaSet/api-5d9f", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "namespace: default")]
    [InlineData("namespace: default", "")]
    public void A_proposed_policy_replaces_the_existing_one_whether_or_not_either_spells_the_default_namespace(string existingNs, string proposedNs)
    {
        string existing = $"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: web, {existingNs}}}\nspec: {{podSelector: {{matchLabels: {{app: web}}}}, ingress: [{{}}]}}\n";
        string proposed = $"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: web, {proposedNs}}}\nspec: {{podSelector: {{matchLabels: {{app: web}}}}, policyTypes: [Ingress]}}\n";
        string cluster = Namespace("default") + Pod("default", "web", "{app: web}") + Pod("default", "client", "{app: client}") + Pod("default", "other", "{app: other}");
        KubeSnapshot snapshot = Snapshot(cluster + existing);
        NetworkModel before = NetworkModel.Build(snapshot);
        NetworkModel after = NetworkModel.Build(snapshot, Snapshot(proposed).Objects);

        Assert.Single(after.Policies);
        List<NetworkConnectivityChange> changes = ConnectivityDiff.Compare(before, after);
        // Every peer of web loses access (the other pods, web itself, outside addresses); nothing else changes.
        Assert.Equal(new[] { "*/any other address", "default/client", "default/other", "default/web" },
            changes.Where(c => c.Change == "NewlyBlocked" && c.Connection.Destination == "web").Select(c => c.Connection.SourceKind == "External" ? "*/" + c.Connection.Source : c.Source).Order(StringComparer.Ordinal));
        Assert.All(changes, c => Assert.Equal("web", c.Connection.Destination));
    }

    [Fact]
    public void The_audit_reports_each_object_not_evaluated_with_the_workloads_it_could_change()
    {
        NetworkModel model = Build(Cluster + CiliumPolicy);
        Finding finding = Assert.Single(NetworkRiskAnalyzer.Analyze(model), f => f.RuleId == Rules.NetworkRules.PolicyNotEvaluated);
        Assert.Equal("CiliumNetworkPolicy", finding.Resource.Kind);
        Assert.Equal("Pod/payments/api", finding.Evidence["AffectedWorkloads"]);
    }

    [Fact]
    public void A_namespace_without_network_policy_but_under_an_admin_policy_is_not_called_open_to_anywhere()
    {
        string anp = "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: quarantine}\nspec:\n  priority: 1\n"
            + "  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: ops}}}\n  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n";
        List<Finding> findings = NetworkRiskAnalyzer.Analyze(Build(Cluster + anp));
        Finding ops = Assert.Single(findings, f => f.RuleId == Rules.NetworkRules.NamespaceWithoutPolicy && f.Resource.Name == "ops");
        Assert.DoesNotContain("from anywhere", ops.Message, StringComparison.Ordinal);
        Assert.Contains("AdminNetworkPolicy/quarantine", ops.Evidence["AdminPolicies"], StringComparison.Ordinal);
        Assert.Contains("from anywhere", Assert.Single(findings, f => f.RuleId == Rules.NetworkRules.NamespaceWithoutPolicy && f.Resource.Name == "shop").Message, StringComparison.Ordinal);
    }
}
