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
            Assert.Equal($"https://github.com/kubesecurity/KubeSecurity/blob/main/{rule.HelpPath}", rule.HelpUri);
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

/// <summary>The rule pages under docs/rules say what the catalog says: one source, checked on every build.</summary>
public class RuleDocumentationTests
{
    public static TheoryData<string> RuleIds()
    {
        var ids = new TheoryData<string>();
        foreach (SecurityRule rule in RuleCatalog.All)
        {
            ids.Add(rule.Id);
        }

        return ids;
    }

    // KUBESECURITY_UPDATE_RULE_DOCS=1 dotnet test --filter RuleDocumentation rewrites the pages from
    // the catalog (header, first paragraph of "What it means" and "How to fix"), keeping the rest.
    private static readonly bool Update = Environment.GetEnvironmentVariable("KUBESECURITY_UPDATE_RULE_DOCS") == "1";

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_rule_page_agrees_with_the_catalog(string id)
    {
        SecurityRule rule = RuleCatalog.Get(id);
        string path = Path.Combine(TestPaths.RepoRoot, "docs", "rules", id + ".md");
        string page = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (Update)
        {
            page = Regenerate(rule, page);
            File.WriteAllText(path, page);
        }

        string Section(string heading)
        {
            int start = page.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
            Assert.True(start >= 0, $"{id}: the page has no '## {heading}' section");
            start += heading.Length + 5;
            int end = page.IndexOf("\n## ", start, StringComparison.Ordinal);
            return page[start..(end < 0 ? page.Length : end)];
        }

        Assert.StartsWith($"# {rule.Id}: {rule.Title}\n", page, StringComparison.Ordinal);
        Assert.Contains($"- **Category:** {rule.Category}\n", page, StringComparison.Ordinal);
        Assert.Contains($"- **Default severity:** {rule.Severity}\n", page, StringComparison.Ordinal);
        if (rule.SeverityNote is not null)
        {
            Assert.Contains($"- **Severity range:** {rule.MinimumSeverity} to {rule.MaximumSeverity}. {rule.SeverityNote}\n", page, StringComparison.Ordinal);
        }

        Assert.Contains(rule.Description, Section("What it means"), StringComparison.Ordinal);
        Assert.Contains(rule.Remediation, Section("How to fix"), StringComparison.Ordinal);
    }

    private static string Regenerate(SecurityRule rule, string page)
    {
        string[] lines = page.Split('\n');
        int body = Array.FindIndex(lines, l => l.StartsWith("## ", StringComparison.Ordinal));
        List<string> facts = lines.Take(body < 0 ? lines.Length : body).Where(l => l.StartsWith("- **", StringComparison.Ordinal)
            && !l.StartsWith("- **Category:**", StringComparison.Ordinal) && !l.StartsWith("- **Default severity:**", StringComparison.Ordinal) && !l.StartsWith("- **Severity range:**", StringComparison.Ordinal)).ToList();
        var header = new List<string> { $"# {rule.Id}: {rule.Title}", string.Empty, $"- **Category:** {rule.Category}", $"- **Default severity:** {rule.Severity}" };
        if (rule.SeverityNote is not null)
        {
            header.Add($"- **Severity range:** {rule.MinimumSeverity} to {rule.MaximumSeverity}. {rule.SeverityNote}");
        }

        header.AddRange(facts);
        header.Add(string.Empty);
        string rest = string.Join('\n', lines.Skip(body < 0 ? lines.Length : body));
        rest = ReplaceFirstParagraph(rest, "What it means", rule.Description);
        rest = ReplaceFirstParagraph(rest, "How to fix", rule.Remediation);
        return string.Join('\n', header) + '\n' + rest;
    }

    private static string ReplaceFirstParagraph(string text, string heading, string paragraph)
    {
        string marker = $"## {heading}\n";
        int start = text.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return text.TrimEnd('\n') + $"\n\n{marker}{paragraph}\n";
        }

        start += marker.Length;
        int end = text.IndexOf("\n\n", start, StringComparison.Ordinal);
        int next = text.IndexOf("\n## ", start, StringComparison.Ordinal);
        if (end < 0 || (next >= 0 && next < end))
        {
            end = next < 0 ? text.TrimEnd('\n').Length : next;
        }

        return text[..start] + paragraph + text[end..];
    }
}
