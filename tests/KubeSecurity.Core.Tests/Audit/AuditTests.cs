using System.Text;
using System.Xml.Linq;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Audit;

public class AuditTests
{
    private static readonly DateTimeOffset DemoDate = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);

    private static KubeSnapshot Demo() => RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster);

    [Fact]
    public void The_audit_of_the_demo_cluster_reports_a_planted_problem_of_every_area_and_a_summary()
    {
        AuditResult result = AuditRunner.Run(Demo(), new AuditOptions { AsOf = DemoDate });
        foreach ((string rule, string name) in new[]
        {
            ("KSEC-CERT-001", "shop-tls-legacy"), ("KSEC-CSR-001", "ci-bot-client"), (RbacRules.ClusterAdminBound, "ci-deployer-cluster-admin"), (NetworkRules.IngressFromAnywhere, "allow-all-ingress"),
            (SecretRules.CredentialLeak, "app-config"), (SecretRules.LegacyToken, "deployer-token"), (WorkloadRules.Privileged, "node-exporter"),
            (WorkloadRules.WebhookFailOpen, "policy-guard"), (RbacRules.AwsAuthMasters, "aws-auth"),
        })
        {
            Assert.True(result.Findings.Any(f => f.RuleId.StartsWith(rule, StringComparison.Ordinal) && f.Name == name), $"{rule} on {name} missing");
        }

        AuditSummary summary = result.Summary!;
        Assert.Equal(result.Findings.Count, summary.Total);
        Assert.Equal(summary.Total, summary.BySeverity.Values.Sum());
        Assert.Equal(new[] { "Certificates", "RBAC", "Network", "Secrets", "Workloads", "ControlPlane", "Kubelet", "AttackPaths" }, summary.Areas);
        Assert.Equal(result.Findings.OrderByDescending(f => f.Severity).Select(f => f.Severity), result.Findings.Select(f => f.Severity));
    }

    public static TheoryData<string, string, string> PlantedProblems => new()
    {
        { "DEMO-CERT-1", "KSEC-CERT-001", "shop-tls-legacy" }, { "DEMO-CERT-2", "KSEC-CERT-002", "shop-tls" }, { "DEMO-CERT-4", "KSEC-CSR-001", "ci-bot-client" },
        { "DEMO-CERT-5", "KSEC-CERT-016", "policy-guard" },
        { "DEMO-RBAC-1", "KSEC-RBAC-001", "ci-deployer-cluster-admin" }, { "DEMO-RBAC-2", "KSEC-RBAC-001", "payments-operators" },
        { "DEMO-RBAC-3", "KSEC-RBAC-015", "all-users-read-secrets" }, { "DEMO-RBAC-4", "KSEC-RBAC-016", "old-auditor" },
        { "DEMO-RBAC-5", "KSEC-RBAC-013", "default-sa-edit" }, { "DEMO-RBAC-6", "KSEC-RBAC-019", "aws-auth" },
        { "DEMO-NET-1", "KSEC-NET-001", "legacy" }, { "DEMO-NET-2", "KSEC-NET-005", "allow-all-ingress" },
        { "DEMO-SEC-1", "KSEC-SEC-001", "payments-api" }, { "DEMO-SEC-2", "KSEC-SEC-011", "app-config" }, { "DEMO-SEC-3", "KSEC-SEC-005", "deployer-token" },
        { "DEMO-SEC-4", "KSEC-SEC-011", "grafana" }, { "DEMO-SEC-5", "KSEC-SEC-004", "old-api-key" }, { "DEMO-SEC-6", "KSEC-SEC-008", "registry-credentials" },
        { "DEMO-SEC-7", "KSEC-SEC-010", "old-catalog" },
        { "DEMO-POD-1", "KSEC-POD-003", "node-exporter" }, { "DEMO-POD-2", "KSEC-POD-004", "debug-shell" }, { "DEMO-POD-3", "KSEC-POD-015", "old-catalog" },
        { "DEMO-POD-4", "KSEC-POD-023", "cart" }, { "DEMO-POD-5", "KSEC-POD-019", "monitoring" }, { "DEMO-POD-6", "KSEC-POD-026", "policy-guard" },
        { "DEMO-CP-1", "KSEC-CP-002", "kube-apiserver-cp-1" }, { "DEMO-CP-2", "KSEC-CP-017", "kube-apiserver-cp-1" }, { "DEMO-CP-3", "KSEC-CP-035", "kube-controller-manager-cp-1" },
        { "DEMO-CP-4", "KSEC-CP-039", "etcd-cp-1" }, { "DEMO-KUBELET-1", "KSEC-KUBELET-005", "kubelet-config" },
        { "DEMO-PATH-1", "KSEC-PATH-001", "media-proxy" },
    };

    [Fact]
    public void The_demo_control_plane_fails_only_its_planted_controls()
    {
        List<string> failed = DemoAudit.Value.Findings.Where(f => f.Category is "ControlPlane" or "Kubelet").Select(f => f.RuleId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "KSEC-CP-002", "KSEC-CP-017", "KSEC-CP-035", "KSEC-CP-039", "KSEC-CP-045", "KSEC-KUBELET-005" }, failed);
    }

    [Fact]
    public void Static_pods_are_analysed_as_pods_and_get_no_service_account_token()
    {
        List<Finding> findings = DemoAudit.Value.Findings.Where(f => f.Name == "etcd-cp-1").ToList();
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.HostPath && f.Kind == "Pod");
        Assert.DoesNotContain(findings, f => f.RuleId is SecretRules.UnneededTokenMount or RbacRules.WorkloadIdentityAdmin);
        // The mirror pods' owner is their Node, which is not a workload.
        Assert.DoesNotContain(DemoAudit.Value.Findings, f => f.Kind == "Node" && f.Namespace is not null);
    }

    [Theory]
    [MemberData(nameof(PlantedProblems))]
    public void The_audit_reports_every_planted_problem_of_the_demo_cluster(string planted, string ruleId, string name)
    {
        AuditResult result = DemoAudit.Value;
        Assert.True(result.Findings.Any(f => f.RuleId == ruleId && f.Name == name), $"{planted}: {ruleId} on {name} is missing from the audit");
    }

    private static readonly Lazy<AuditResult> DemoAudit = new(() => AuditRunner.Run(Demo(), new AuditOptions { AsOf = DemoDate }));

    [Fact]
    public void Suppressions_apply_to_every_area_and_expired_ones_are_reported()
    {
        List<Suppression> suppressions = Suppressions.Parse("""
            suppressions:
            - {ruleId: "KSEC-RBAC-*", resource: "ClusterRoleBinding/ci-deployer-cluster-admin", justification: "break-glass CI, reviewed", expires: 2027-06-30}
            - {ruleId: KSEC-NET-001, resource: "Namespace/legacy", justification: "legacy is being retired", expires: 2026-11-01}
            """, "accepted.yaml");
        AuditResult result = AuditRunner.Run(Demo(), new AuditOptions { AsOf = DemoDate, Suppressions = suppressions, SuppressionSource = "accepted.yaml" });
        Assert.DoesNotContain(result.Findings, f => f.RuleId.StartsWith("KSEC-RBAC-", StringComparison.Ordinal) && f.Name == "ci-deployer-cluster-admin");
        Assert.Contains(result.Findings, f => f.RuleId == NetworkRules.NamespaceWithoutPolicy && f.Name == "legacy");
        Finding expired = Assert.Single(result.Findings, f => f.RuleId == CoverageRules.ExpiredSuppression);
        Assert.Contains("legacy is being retired", expired.Message, StringComparison.Ordinal);
        Assert.True(result.Summary!.Suppressed >= 1);

        Assert.Throws<SuppressionFileException>(() => Suppressions.Parse("- {ruleId: KSEC-NET-001}", "bad.yaml"));
        Assert.Throws<SuppressionFileException>(() => Suppressions.Parse("- {ruleId: X, justification: y, expires: someday}", "bad.yaml"));
    }

    [Fact]
    public void Filters_baselines_and_report_formats()
    {
        KubeSnapshot demo = Demo();
        AuditResult rbacOnly = AuditRunner.Run(demo, new AuditOptions { AsOf = DemoDate, Categories = new[] { "RBAC" }, MinimumSeverity = Severity.High, ExcludeRules = new[] { "KSEC-RBAC-003" } });
        Assert.All(rbacOnly.Findings, f => Assert.True(f.Category is "RBAC" or "Coverage" && f.Severity >= Severity.High && f.RuleId != "KSEC-RBAC-003"));

        AuditResult first = AuditRunner.Run(demo, new AuditOptions { AsOf = DemoDate });
        using var stream = new MemoryStream();
        ReportJson.Write(stream, first.Findings, first.Summary);
        string json = Encoding.UTF8.GetString(stream.ToArray());
        HashSet<string> keys = ReportJson.ReadKeys(json, "last.json");
        Assert.Equal(first.Findings.Select(ReportJson.Key).Distinct().Count(), keys.Count);
        AuditResult second = AuditRunner.Run(demo, new AuditOptions { AsOf = DemoDate, BaselineKeys = keys });
        Assert.Empty(second.New);
        Assert.Equal(0, second.Summary!.NewSinceBaseline);

        XDocument junit = XDocument.Parse(ReportWriters.JUnit(first.Findings, first.Summary));
        // A test case per finding, and one per control of each compliance framework.
        Assert.Equal(first.Findings.Count + ComplianceFrameworks.All.Sum(f => f.Controls.Count), junit.Descendants("testcase").Count());
        Assert.Contains(junit.Descendants("testsuite"), s => (string?)s.Attribute("name") == "RBAC");
        string csv = ReportWriters.Csv(first.Findings);
        Assert.Equal(first.Findings.Count + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("## KubeSecurity audit", ReportWriters.Markdown(first.Findings, first.Summary), StringComparison.Ordinal);
        Assert.DoesNotContain("AKIA2E5QJ7WBHXK4R6TN", json, StringComparison.Ordinal);
    }
}
