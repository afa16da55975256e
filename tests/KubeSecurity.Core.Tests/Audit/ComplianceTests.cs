using System.Text.Json;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;
using Xunit;

namespace KubeSecurity.Core.Tests.Audit;

public class ComplianceTests
{
    private static readonly DateTimeOffset DemoDate = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);

    private static ComplianceControlResult Control(AuditResult result, ComplianceFramework framework, string id) =>
        ComplianceEvaluator.Evaluate(framework, result.Findings, result.Summary).Single(c => c.ControlId == id);

    private static AuditResult Audit(string yaml, AuditOptions? options = null) =>
        AuditRunner.Run(RbacFixtures.FromYaml(yaml), options ?? new AuditOptions { AsOf = DemoDate });

    private const string HostNetworkPod = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: web, labels: {pod-security.kubernetes.io/enforce: baseline}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: edge, namespace: web}
        spec:
          hostNetwork: true
          containers: [{name: app, image: "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]
        """;

    [Fact]
    public void Every_rule_the_catalogue_names_exists_and_every_control_without_rules_says_why()
    {
        foreach (ComplianceFramework framework in ComplianceFrameworks.All)
        {
            Assert.Equal(framework.Controls.Count, framework.Controls.Select(c => c.ControlId).Distinct().Count());
            foreach (ComplianceControl control in framework.Controls)
            {
                Assert.All(control.RuleIds, id => Assert.True(RuleCatalog.TryGet(id, out _), $"{framework.Name} {control.ControlId} names {id}, which is not a rule"));
                Assert.True(control.RuleIds.Count > 0 || !string.IsNullOrWhiteSpace(control.NotCheckableReason), $"{framework.Name} {control.ControlId} has neither rules nor a reason");
            }
        }

        // CIS v1.9.0 sections 1-5: 21+29+7+2+7 + 5 + 10+13+1 + 13+13+2+2+1+4.
        Assert.Equal(130, ComplianceFrameworks.Cis.Controls.Count);
        Assert.Equal(17, ComplianceFrameworks.Pss.Controls.Count);
    }

    [Fact]
    public void Every_numbered_control_plane_and_kubelet_rule_decides_its_CIS_control()
    {
        foreach (ControlPlaneControl rule in ControlPlaneRules.Controls.Concat(KubeletRules.Controls).Where(c => char.IsAsciiDigit(c.Control[0])))
        {
            ComplianceControl control = Assert.Single(ComplianceFrameworks.Cis.Controls, c => c.ControlId == rule.Control);
            Assert.Contains(rule.RuleId, control.RuleIds);
        }
    }

    [Fact]
    public void A_finding_fails_its_control_and_a_rule_that_ran_clean_passes_it()
    {
        AuditResult result = Audit(HostNetworkPod);
        ComplianceControlResult hostNetwork = Control(result, ComplianceFrameworks.Cis, "5.2.5");
        Assert.Equal(ComplianceStatus.Failed, hostNetwork.Status);
        Assert.Equal(new[] { "Pod/web/edge" }, hostNetwork.Resources);
        // One rule reports every host namespace; the control about hostPID is not failed by hostNetwork.
        Assert.Equal(ComplianceStatus.Passed, Control(result, ComplianceFrameworks.Cis, "5.2.3").Status);
        Assert.Equal(ComplianceStatus.Passed, Control(result, ComplianceFrameworks.Pss, "Baseline/Privileged").Status);
        Assert.Equal(ComplianceStatus.Failed, Control(result, ComplianceFrameworks.Pss, "Baseline/HostNamespaces").Status);
    }

    [Fact]
    public void Controls_of_components_that_are_not_visible_are_not_checkable_never_passed()
    {
        AuditResult result = Audit(HostNetworkPod);
        ComplianceControlResult anonymous = Control(result, ComplianceFrameworks.Cis, "1.2.1");
        Assert.Equal(ComplianceStatus.NotCheckable, anonymous.Status);
        Assert.Contains("no kube-apiserver pod", anonymous.Reason);
        Assert.Equal(ComplianceStatus.NotCheckable, Control(result, ComplianceFrameworks.Cis, "4.2.1").Status);
        Assert.Equal(ComplianceStatus.NotCheckable, Control(result, ComplianceFrameworks.Cis, "1.1.1").Status);
    }

    [Fact]
    public void With_the_API_server_visible_but_not_etcd_only_the_etcd_controls_are_not_checkable()
    {
        const string apiServer = """
            apiVersion: v1
            kind: Pod
            metadata: {name: kube-apiserver-cp, namespace: kube-system, labels: {component: kube-apiserver}}
            spec:
              containers:
              - name: kube-apiserver
                image: registry.k8s.io/kube-apiserver:v1.30.0
                command: [kube-apiserver, --anonymous-auth=false, --authorization-mode=Node,RBAC]
            """;
        AuditResult result = Audit(apiServer);
        Assert.Equal(ComplianceStatus.Passed, Control(result, ComplianceFrameworks.Cis, "1.2.1").Status);
        Assert.Equal(ComplianceStatus.Passed, Control(result, ComplianceFrameworks.Cis, "1.2.7").Status);
        Assert.Equal(ComplianceStatus.Failed, Control(result, ComplianceFrameworks.Cis, "1.2.15").Status);
        ComplianceControlResult etcd = Control(result, ComplianceFrameworks.Cis, "2.1");
        Assert.Equal(ComplianceStatus.NotCheckable, etcd.Status);
        Assert.Contains("no etcd pod", etcd.Reason);
    }

    [Fact]
    public void Restricted_controls_are_not_evaluated_unless_the_audit_ran_them()
    {
        const string rootPod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: job, namespace: default}
            spec:
              securityContext: {runAsUser: 0}
              containers: [{name: app, image: "busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]
            """;
        ComplianceControlResult baseline = Control(Audit(rootPod), ComplianceFrameworks.Pss, "Restricted/RunAsNonRoot");
        Assert.Equal(ComplianceStatus.NotEvaluated, baseline.Status);
        Assert.Contains("-RestrictedPodSecurity", baseline.Reason);
        ComplianceControlResult restricted = Control(Audit(rootPod, new AuditOptions { AsOf = DemoDate, RestrictedPodSecurity = true }), ComplianceFrameworks.Pss, "Restricted/RunAsNonRoot");
        Assert.Equal(ComplianceStatus.Failed, restricted.Status);
        // runAsUser: 0 is judged in every audit.
        Assert.Equal(ComplianceStatus.Failed, Control(Audit(rootPod), ComplianceFrameworks.Pss, "Restricted/RunAsUser").Status);
    }

    [Fact]
    public void Rules_left_out_by_category_or_exclusion_leave_their_controls_not_evaluated()
    {
        AuditResult networkOnly = Audit(HostNetworkPod, new AuditOptions { AsOf = DemoDate, Categories = new[] { "Network" } });
        Assert.Equal(ComplianceStatus.NotEvaluated, Control(networkOnly, ComplianceFrameworks.Cis, "5.2.2").Status);
        AuditResult excluded = Audit(HostNetworkPod, new AuditOptions { AsOf = DemoDate, ExcludeRules = new[] { "KSEC-POD-00*" } });
        Assert.Equal(ComplianceStatus.NotEvaluated, Control(excluded, ComplianceFrameworks.Cis, "5.2.5").Status);
        Assert.Contains("-ExcludeRule", Control(excluded, ComplianceFrameworks.Cis, "5.2.2").Reason);
    }

    [Fact]
    public void Encryption_controls_are_decided_when_the_encryption_cmdlet_findings_come_with_the_audit()
    {
        AuditResult result = Audit(HostNetworkPod);
        Assert.Equal(ComplianceStatus.NotEvaluated, Control(result, ComplianceFrameworks.Cis, "1.2.27").Status);
        var withEncryption = result.Findings.Concat(KubeSecurity.Core.Secrets.EncryptionConfigurationAnalyzer.Analyze("""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
            - resources: [configmaps]
              providers: [{identity: {}}]
            """, "encryption.yaml")).ToList();
        ComplianceControlResult control = ComplianceEvaluator.Evaluate(ComplianceFrameworks.Cis, withEncryption, result.Summary).Single(c => c.ControlId == "1.2.27");
        Assert.Equal(ComplianceStatus.Failed, control.Status);
    }

    [Fact]
    public void A_partial_input_never_passes_a_control_of_the_partial_area()
    {
        KubeSnapshot full = RbacFixtures.FromYaml(HostNetworkPod);
        var partial = new KubeSnapshot(SnapshotSource.Live, "ctx", "c", "https://example", DateTimeOffset.UtcNow, full.Objects,
            missingKinds: new[] { new MissingKind("RoleBinding", "forbidden") });
        AuditResult result = AuditRunner.Run(partial, new AuditOptions { AsOf = DemoDate });
        ComplianceControlResult wildcards = Control(result, ComplianceFrameworks.Cis, "5.1.3");
        Assert.Equal(ComplianceStatus.NotCheckable, wildcards.Status);
        Assert.Contains("partial", wildcards.Reason);
    }

    [Fact]
    public void Without_an_audit_summary_only_failures_are_told()
    {
        AuditResult result = Audit(HostNetworkPod);
        List<ComplianceControlResult> controls = ComplianceEvaluator.Evaluate(ComplianceFrameworks.Cis, result.Findings, null);
        Assert.Equal(ComplianceStatus.Failed, controls.Single(c => c.ControlId == "5.2.5").Status);
        Assert.Equal(ComplianceStatus.NotEvaluated, controls.Single(c => c.ControlId == "5.2.2").Status);
        Assert.DoesNotContain(controls, c => c.Status == ComplianceStatus.Passed);
        Assert.All(controls.Where(c => c.Status == ComplianceStatus.NotEvaluated), c => Assert.Contains("no audit summary", c.Reason));
    }

    [Fact]
    public void The_score_is_the_share_of_decided_controls_that_passed()
    {
        var score = new ComplianceScore("X", "1", 10, 3, 1, 1, 4, 1);
        Assert.Equal(75.0, score.Score);
        Assert.Equal(40.0, score.Coverage);
        Assert.Null(new ComplianceScore("X", "1", 2, 0, 0, 0, 2, 0).Score);
    }

    [Fact]
    public void Reports_carry_the_compliance_view()
    {
        AuditResult result = Audit(HostNetworkPod);
        var input = new ReportInput();
        input.Findings.AddRange(result.Findings);
        input.Summaries.Add(result.Summary!);

        using JsonDocument json = JsonDocument.Parse(ReportFormats.Render("Json", input));
        JsonElement cis = json.RootElement.GetProperty("compliance").EnumerateArray().Single(f => f.GetProperty("framework").GetString() == "CIS");
        JsonElement control = cis.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "5.2.5");
        Assert.Equal("Failed", control.GetProperty("status").GetString());
        Assert.Equal("2026-12-20T00:00:00+00:00", json.RootElement.GetProperty("summary").GetProperty("asOf").GetString());

        var junit = System.Xml.Linq.XDocument.Parse(ReportFormats.Render("JUnit", input));
        var suite = junit.Root!.Elements("testsuite").Single(s => ((string)s.Attribute("name")!).StartsWith("CIS Kubernetes Benchmark", StringComparison.Ordinal));
        Assert.Equal("130", (string?)suite.Attribute("tests"));
        Assert.NotNull(suite.Elements("testcase").Single(t => ((string)t.Attribute("name")!).StartsWith("5.2.5 ", StringComparison.Ordinal)).Element("failure"));
        Assert.NotNull(suite.Elements("testcase").Single(t => ((string)t.Attribute("name")!).StartsWith("1.1.1 ", StringComparison.Ordinal)).Element("skipped"));

        using JsonDocument sarif = JsonDocument.Parse(ReportFormats.Render("Sarif", input));
        JsonElement rule = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == WorkloadRules.HostNamespaces);
        List<string?> tags = rule.GetProperty("properties").GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("CIS 5.2.5", tags);
        Assert.Contains("PSS Baseline/HostNamespaces", tags);
    }
}

public class FailingAreaTests
{
    [Fact]
    public void An_area_that_throws_costs_only_itself_and_its_controls_are_not_passed()
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml("""
            apiVersion: v1
            kind: Pod
            metadata: {name: edge, namespace: web}
            spec:
              hostNetwork: true
              containers: [{name: app, image: nginx}]
            """);
        AuditArea broken = AuditAreas.Workloads with { Run = _ => throw new InvalidOperationException("a defect") };
        List<AuditArea> areas = AuditAreas.All.Select(a => a == AuditAreas.Workloads ? broken : a).ToList();

        AuditResult result = AuditRunner.Run(snapshot, new AuditOptions(), areas, null, CancellationToken.None);

        Assert.Contains(result.Problems, p => p.StartsWith("Workloads: the analysis failed (InvalidOperationException: a defect)", StringComparison.Ordinal));
        Assert.Contains("Workloads: failed (InvalidOperationException)", result.Summary!.SkippedAreas);
        Assert.DoesNotContain("Workloads", result.Summary.Areas);
        Assert.Contains(result.Findings, f => f.Category == "Network"); // the other areas ran
        Assert.Equal(ComplianceStatus.NotEvaluated, ComplianceEvaluator.Evaluate(ComplianceFrameworks.Pss, result.Findings, result.Summary).Single(c => c.ControlId == "Baseline/Privileged").Status);
    }

    [Fact]
    public void Certificates_then_areas_sharing_models_run_first_and_each_model_is_dropped_after_its_last_area_while_summaries_keep_the_declared_order()
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster);
        var seen = new List<(string Area, SharedModels Held)>();
        AuditArea Probe(AuditArea area) => area with
        {
            Run = context =>
            {
                seen.Add((area.Name, context.Held));
                return area.Run(context);
            },
        };
        List<AuditArea> areas = AuditAreas.All.Select(Probe).ToList();

        AuditResult result = AuditRunner.Run(snapshot, new AuditOptions(), areas, null, CancellationToken.None);

        // Certificates first: it allocates most and keeps little, so it runs while the heap holds little else.
        Assert.Equal(new[] { "Certificates", "AttackPaths", "RBAC", "Network", "Secrets", "Workloads", "ControlPlane", "Kubelet" }, seen.Select(s => s.Area));
        // Both models exist after the attack paths; the network model is gone once Network ran, the policy once Secrets did.
        Assert.Equal(SharedModels.RbacPolicy | SharedModels.NetworkModel, seen.Single(s => s.Area == "RBAC").Held);
        Assert.Equal(SharedModels.RbacPolicy, seen.Single(s => s.Area == "Secrets").Held);
        Assert.All(seen.Where(s => s.Area is "Certificates" or "Workloads" or "ControlPlane" or "Kubelet"), s => Assert.Equal(SharedModels.None, s.Held));
        Assert.Equal(AuditAreas.All.Select(a => a.Name), result.Summary!.Areas);
        Assert.Equal(AuditRunner.Run(snapshot, new AuditOptions()).Findings.Select(f => f.ToString()), result.Findings.Select(f => f.ToString()));
    }

    [Fact]
    public void A_model_is_kept_for_a_selected_area_and_dropped_when_the_areas_that_need_it_are_not_selected()
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster);
        var seen = new List<(string Area, SharedModels Held)>();
        List<AuditArea> areas = AuditAreas.All.Select(area => area with
        {
            Run = context =>
            {
                seen.Add((area.Name, context.Held));
                return area.Run(context);
            },
        }).ToList();

        // -Category Secrets runs RBAC and Secrets only: the policy RBAC built is still there for Secrets.
        AuditRunner.Run(snapshot, new AuditOptions { Categories = new[] { "Secrets" } }, areas, null, CancellationToken.None);

        Assert.Equal(new[] { "RBAC", "Secrets" }, seen.Select(s => s.Area));
        Assert.Equal(SharedModels.RbacPolicy, seen.Single(s => s.Area == "Secrets").Held);
    }
}
