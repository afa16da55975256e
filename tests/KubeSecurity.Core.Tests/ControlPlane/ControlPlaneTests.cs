using KubeSecurity.Core.ControlPlane;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.ControlPlane.ControlPlaneFixtures;

namespace KubeSecurity.Core.Tests.ControlPlane;

/// <summary>
/// The control-plane controls on static pod manifests written from the benchmark's text: each
/// check fails on its violating flags and passes on a hardened control plane, absent flags count
/// as the component's documented default, and what cannot be seen is not passed.
/// </summary>
public class ControlPlaneTests
{


    private static List<ControlCheck> Check(string yaml) => ControlPlaneAnalyzer.Check(Rbac.RbacFixtures.FromYaml(yaml));

    public static TheoryData<string> CheckIds()
    {
        var data = new TheoryData<string>();
        foreach (var check in ControlPlaneChecks.All)
        {
            data.Add(check.RuleId);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Each_check_fails_on_its_violating_flags_and_passes_on_a_hardened_control_plane(string ruleId)
    {
        ControlPlaneCheck check = ControlPlaneChecks.All.Single(c => c.RuleId == ruleId);
        string compliant = HardenedControlPlane(check.Component, check.CompliantFlags.ToDictionary(f => f.Key, f => (string?)f.Value));
        string violating = HardenedControlPlane(check.Component, check.ViolatingFlags);
        Assert.All(Check(compliant).Where(r => r.RuleId == ruleId), r => Assert.Equal(ControlStatus.Pass, r.Status));
        ControlCheck failed = Assert.Single(Check(violating), r => r.RuleId == ruleId);
        Assert.Equal(ControlStatus.Fail, failed.Status);

        // The rule fixtures are these two control planes: kept in step with the table.
        string header = $"# {check.Title}: {ControlPlaneChecks.Benchmark} {check.Control} on {check.Component}. Written by ControlPlaneTests from the check table.\n";
        FixtureIsCurrent($"{ruleId}.violating.yaml", header + violating);
        FixtureIsCurrent($"{ruleId}.compliant.yaml", header + compliant);
    }

    [Fact]
    public void A_hardened_control_plane_passes_every_check_and_raises_no_finding()
    {
        List<ControlCheck> results = Check(HardenedControlPlane());
        Assert.All(results, r => Assert.True(r.Status == ControlStatus.Pass, r.ToString()));
        Assert.Equal(ControlPlaneChecks.All.Count, results.Count);
        Assert.Empty(ControlPlaneAnalyzer.Analyze(Rbac.RbacFixtures.FromYaml(HardenedControlPlane())));
    }

    [Fact]
    public void Without_control_plane_pods_the_controls_are_not_checkable_and_one_finding_says_so()
    {
        const string managed = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
        FixtureIsCurrent($"{ControlPlaneRules.NotVisible}.violating.yaml", "# A managed control plane: no component pod in the input.\n" + managed);
        FixtureIsCurrent($"{ControlPlaneRules.NotVisible}.compliant.yaml", "# A kubeadm-style control plane whose static pods are in the input.\n" + HardenedControlPlane());
        Assert.All(Check(managed), r => Assert.Equal(ControlStatus.NotCheckable, r.Status));
        Finding finding = Assert.Single(ControlPlaneAnalyzer.Analyze(Rbac.RbacFixtures.FromYaml(managed)));
        Assert.Equal(ControlPlaneRules.NotVisible, finding.RuleId);
        Assert.Contains("not checkable", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void External_etcd_leaves_only_the_etcd_controls_not_checkable()
    {
        List<ControlCheck> results = Check(HardenedControlPlane(withEtcd: false));
        Assert.All(results.Where(r => r.Component == ControlPlaneComponents.Etcd), r => Assert.Equal(ControlStatus.NotCheckable, r.Status));
        Assert.All(results.Where(r => r.Component != ControlPlaneComponents.Etcd), r => Assert.Equal(ControlStatus.Pass, r.Status));
        Assert.Empty(ControlPlaneAnalyzer.Analyze(Rbac.RbacFixtures.FromYaml(HardenedControlPlane(withEtcd: false))));
    }

    [Fact]
    public void Absent_flags_are_judged_as_the_documented_defaults()
    {
        // A bare API server: anonymous auth on, AlwaysAllow, profiling on, no NodeRestriction; the lookup and default plugins are on.
        List<ControlCheck> bare = Check(Pod(ControlPlaneComponents.ApiServer, new Dictionary<string, string>()));
        ControlStatus Status(string control) => bare.Single(r => r.Control == control).Status;
        Assert.Equal(ControlStatus.Fail, Status("1.2.1"));
        Assert.Equal(ControlStatus.Fail, Status("1.2.6"));
        Assert.Contains("default AlwaysAllow", bare.Single(r => r.Control == "1.2.6").Detail, StringComparison.Ordinal);
        Assert.Equal(ControlStatus.Fail, Status("1.2.14"));
        Assert.Equal(ControlStatus.Fail, Status("1.2.15"));
        Assert.Equal(ControlStatus.Pass, Status("1.2.12"));
        Assert.Equal(ControlStatus.Pass, Status("1.2.13"));
        Assert.Equal(ControlStatus.Pass, Status("1.2.21"));
        Assert.Equal(ControlStatus.Pass, Status("1.2.10"));
        Assert.Equal(ControlStatus.Pass, Status("1.2.17")); // 0: nothing removed by age

        List<ControlCheck> scheduler = Check(Pod(ControlPlaneComponents.Scheduler, new Dictionary<string, string>()));
        Assert.Equal(ControlStatus.Fail, scheduler.Single(r => r.Control == "1.4.2").Status); // default 0.0.0.0
    }

    [Fact]
    public void Flags_are_read_as_the_components_read_them()
    {
        const string pods = """
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: kube-apiserver-a, namespace: kube-system}
            spec:
              containers:
              - name: apiserver
                image: registry.k8s.io/kube-apiserver:v1.30.0
                command: [/usr/local/bin/kube-apiserver, --profiling, "false", --authorization-mode=RBAC, --anonymous-auth=true, --anonymous-auth=false]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: kube-scheduler-a, namespace: kube-system}
            spec:
              containers:
              - name: scheduler
                image: registry.k8s.io/kube-scheduler:v1.30.0
                args: [--bind-address=127.0.0.1, --profiling=false]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: etcd-a, namespace: kube-system}
            spec:
              containers:
              - name: etcd
                image: registry.k8s.io/etcd:3.5.15-0
                command: [/bin/sh, -c, "etcd --cert-file=/pki/server.crt --key-file=/pki/server.key"]
                env:
                - {name: ETCD_CLIENT_CERT_AUTH, value: "true"}
            """ + "\n";
        List<ControlPlaneComponent> components = ControlPlaneComponents.Find(Rbac.RbacFixtures.FromYaml(pods));
        ControlPlaneComponent api = Assert.Single(components, c => c.Name == ControlPlaneComponents.ApiServer);
        Assert.Equal("false", api.Get("profiling"));
        Assert.Equal("false", api.Get("anonymous-auth")); // the last occurrence wins
        Assert.Equal("127.0.0.1", Assert.Single(components, c => c.Name == ControlPlaneComponents.Scheduler).Get("bind-address")); // args only: the image names it
        ControlPlaneComponent etcd = Assert.Single(components, c => c.Name == ControlPlaneComponents.Etcd);
        Assert.Equal("/pki/server.key", etcd.Get("key-file")); // through sh -c
        Assert.Equal("true", etcd.Get("client-cert-auth")); // from ETCD_CLIENT_CERT_AUTH
    }

    [Fact]
    public void Every_api_server_of_a_highly_available_control_plane_is_checked()
    {
        var hardened = new Dictionary<string, string>(ControlPlaneChecks.Hardened(ControlPlaneComponents.ApiServer));
        var weak = new Dictionary<string, string>(hardened) { ["profiling"] = "true" };
        List<ControlCheck> results = Check(Pod(ControlPlaneComponents.ApiServer, hardened, "cp-1") + Pod(ControlPlaneComponents.ApiServer, weak, "cp-2"));
        List<ControlCheck> profiling = results.Where(r => r.Control == "1.2.15").ToList();
        Assert.Equal(2, profiling.Count);
        Assert.Equal("kube-apiserver-cp-2", Assert.Single(profiling, r => r.Status == ControlStatus.Fail).Pod!.Name);
    }

    [Fact]
    public void An_applications_own_etcd_outside_kube_system_is_not_the_clusters()
    {
        const string appEtcd = """
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: etcd-0, namespace: orders}
            spec:
              containers:
              - {name: etcd, image: registry.example/etcd:3.5, command: [etcd, --listen-client-urls=http://0.0.0.0:2379]}
            """ + "\n";
        Assert.Empty(ControlPlaneComponents.Find(Rbac.RbacFixtures.FromYaml(appEtcd)));
        Assert.Equal(ControlPlaneRules.NotVisible, Assert.Single(ControlPlaneAnalyzer.Analyze(Rbac.RbacFixtures.FromYaml(appEtcd))).RuleId);
    }

    [Fact]
    public void A_control_from_another_guide_is_not_labelled_as_a_cis_control()
    {
        ControlPlaneCheck tls = ControlPlaneChecks.All.Single(c => c.Control == "NSA-CISA");
        Finding finding = Assert.Single(ControlPlaneAnalyzer.Analyze(Rbac.RbacFixtures.FromYaml(HardenedControlPlane(tls.Component, tls.ViolatingFlags))), f => f.RuleId == tls.RuleId);
        Assert.Equal("NSA/CISA Kubernetes Hardening Guide", finding.Evidence["Benchmark"]);
        Assert.DoesNotContain("CIS", finding.Message, StringComparison.Ordinal);
        Assert.Contains("(CIS Kubernetes Benchmark v1.9.0 1.2.6)", Assert.Single(ControlPlaneAnalyzer.Analyze(Rbac.RbacFixtures.FromYaml(HardenedControlPlane(ControlPlaneComponents.ApiServer,
            new Dictionary<string, string?> { ["authorization-mode"] = "AlwaysAllow" }))), f => f.RuleId == "KSEC-CP-007").Message, StringComparison.Ordinal);
    }
}
