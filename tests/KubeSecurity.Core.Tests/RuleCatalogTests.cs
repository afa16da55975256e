using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests;

public class RuleCatalogTests
{
    [Fact]
    public void Every_rule_has_a_documentation_page_and_a_well_formed_id()
    {
        Assert.NotEmpty(RuleCatalog.All);
        foreach (SecurityRule rule in RuleCatalog.All)
        {
            Assert.Matches("^KSEC-[A-Z]+-[0-9]{3}$", rule.Id);
            Assert.False(string.IsNullOrWhiteSpace(rule.Remediation), $"{rule.Id} has no remediation");
            string page = Path.Combine(TestPaths.RepoRoot, rule.HelpPath);
            Assert.True(File.Exists(page), $"{rule.Id} has no documentation page at {page}");
            Assert.Contains(rule.Id, File.ReadAllText(page), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_partial_snapshot_yields_findings_that_say_what_was_not_checked()
    {
        var snapshot = new KubeSnapshot(SnapshotSource.Live, "c", "ctx", "https://x", DateTimeOffset.UtcNow, Array.Empty<KubeObject>(),
            new[] { new MissingKind("Secret", "forbidden: secrets is forbidden", 403) });

        Assert.False(snapshot.HasKind("secret"));
        Assert.True(snapshot.HasKind("ConfigMap"));
        Finding finding = Assert.Single(CoverageRules.Evaluate(snapshot));
        Assert.Equal(CoverageRules.KindNotCollected, finding.RuleId);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("Secret", finding.Kind);
        Assert.Equal("403", finding.Evidence["StatusCode"]);
        Assert.Contains("did not run", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_documents_and_unknown_kinds_are_reported_as_coverage_findings()
    {
        var snapshot = new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, Array.Empty<KubeObject>(),
            unknownKinds: new[] { "Certificate" }, inputProblems: new[] { "chart.yaml (document 4): malformed YAML at line 12, column 3: expected ']'" });

        List<Finding> findings = CoverageRules.Evaluate(snapshot).ToList();
        Finding unreadable = Assert.Single(findings, f => f.RuleId == CoverageRules.InputNotRead);
        Assert.Equal("chart.yaml (document 4)", unreadable.Name);
        Assert.Contains(findings, f => f.RuleId == CoverageRules.UnknownKinds && f.Message.Contains("Certificate", StringComparison.Ordinal));
    }

    [Fact]
    public void Severities_order_from_info_to_critical()
    {
        Assert.True(Severity.Critical > Severity.High);
        Assert.True(Severity.High > Severity.Medium);
        Assert.True(Severity.Low > Severity.Info);
    }
}

public class RuleSeverityRangeTests
{
    [Fact]
    public void Rules_that_grade_their_findings_state_the_range_and_why()
    {
        SecurityRule sec = RuleCatalog.Get(SecretRules.BroadSecretAccess);
        Assert.Equal((Severity.High, Severity.High, Severity.Critical), (sec.Severity, sec.MinimumSeverity, sec.MaximumSeverity));
        Assert.Contains("every authenticated", sec.SeverityNote, StringComparison.Ordinal);
        SecurityRule plain = RuleCatalog.Get(RbacRules.UnusedRole);
        Assert.Equal(plain.Severity, plain.MinimumSeverity);
        Assert.Equal(plain.Severity, plain.MaximumSeverity);
        Assert.Null(plain.SeverityNote);
        Assert.All(RuleCatalog.All, r => Assert.InRange(r.Severity, r.MinimumSeverity, r.MaximumSeverity));
    }

    [Fact]
    public void A_finding_outside_its_rule_s_range_is_refused_in_test_builds()
    {
        var resource = new ResourceRef("Namespace", null, "x");
        Assert.Equal(Severity.Critical, RuleCatalog.CreateFinding(SecretRules.BroadSecretAccess, resource, "m", severity: Severity.Critical).Severity);
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => RuleCatalog.CreateFinding(RbacRules.UnusedRole, resource, "m", severity: Severity.Critical));
        Assert.Contains("KSEC-RBAC-018", refused.Message, StringComparison.Ordinal);
    }
}
