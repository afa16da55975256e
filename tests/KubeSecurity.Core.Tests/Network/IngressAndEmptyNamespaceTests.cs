using KubeSecurity.Core.Network;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Network;

public class IngressAndEmptyNamespaceTests
{
    private static List<Finding> Analyze(string yaml)
    {
        var snapshot = RbacFixtures.FromYaml(yaml + "\n");
        return NetworkRiskAnalyzer.Analyze(NetworkModel.Build(snapshot), snapshot);
    }

    private static string Ingress(string tls, string hosts) => $$"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          {{tls}}
          rules: [{{string.Join(", ", hosts.Split(',').Select(h => h == "-" ? "{http: {paths: []}}" : $"{{host: '{h}', http: {{paths: []}}}}"))}}]
        """;

    [Theory]
    [InlineData("", "shop.example.com", "shop.example.com")]
    [InlineData("tls: [{hosts: [shop.example.com], secretName: s}]", "shop.example.com,admin.example.com", "admin.example.com")]
    [InlineData("tls: [{hosts: ['*.example.com'], secretName: s}]", "a.b.example.com,example.com,a.example.com", "a.b.example.com, example.com")]
    [InlineData("tls: [{hosts: [shop.example.com], secretName: s}]", "-", "*")]
    public void Hosts_no_tls_entry_covers_are_named(string tls, string hosts, string clear)
    {
        Finding finding = Assert.Single(Analyze(Ingress(tls, hosts)), f => f.RuleId == NetworkRules.IngressWithoutTls);
        Assert.Equal(clear, finding.Evidence["Hosts"]);
    }

    [Theory]
    [InlineData("tls: [{secretName: s}]", "shop.example.com,admin.example.com")]
    [InlineData("tls: [{hosts: [SHOP.example.com, '*.example.com'], secretName: s}]", "shop.example.com,admin.example.com")]
    public void A_tls_entry_without_hosts_or_covering_every_host_is_fine(string tls, string hosts) =>
        Assert.DoesNotContain(Analyze(Ingress(tls, hosts)), f => f.RuleId == NetworkRules.IngressWithoutTls);

    [Fact]
    public void An_empty_namespace_is_reported_until_a_policy_selects_all_its_pods_for_ingress()
    {
        const string Namespaces = """
            ---
            {apiVersion: v1, kind: Namespace, metadata: {name: empty}}
            ---
            {apiVersion: v1, kind: Namespace, metadata: {name: partial}}
            ---
            {apiVersion: v1, kind: Namespace, metadata: {name: guarded}}
            ---
            {apiVersion: v1, kind: Namespace, metadata: {name: kube-public}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: some, namespace: partial}
            spec: {podSelector: {matchLabels: {app: x}}, policyTypes: [Ingress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny, namespace: guarded}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            """;
        List<string> reported = Analyze(Namespaces).Where(f => f.RuleId == NetworkRules.EmptyNamespaceWithoutDefaultDeny).Select(f => f.Name).ToList();

        Assert.Equal(new[] { "empty", "partial" }, reported);
    }
}
