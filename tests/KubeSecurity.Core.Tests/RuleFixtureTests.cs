using System.Text.RegularExpressions;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests;

/// <summary>
/// One data-driven test for rule fixtures: RuleFixtures/&lt;rule id&gt;.violating.yaml must make the
/// whole audit report that rule, and &lt;rule id&gt;.compliant.yaml must not. Adding a rule's fixtures
/// is adding two files.
/// </summary>
public class RuleFixtureTests
{
    private static readonly string Folder = Path.Combine(TestPaths.RepoRoot, "tests", "KubeSecurity.Core.Tests", "RuleFixtures");
    private static readonly DateTimeOffset AsOf = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, bool> Fixtures()
    {
        var data = new TheoryData<string, bool>();
        foreach (string file in Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            data.Add(name[..name.IndexOf('.', StringComparison.Ordinal)], name.Contains(".violating.", StringComparison.Ordinal));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_violating_fixture_is_reported_and_the_compliant_one_is_not(string ruleId, bool violating)
    {
        Assert.True(RuleCatalog.TryGet(ruleId, out _), $"{ruleId} is not a rule");
        string file = Path.Combine(Folder, $"{ruleId}.{(violating ? "violating" : "compliant")}.yaml");
        Assert.True(File.Exists(Path.Combine(Folder, $"{ruleId}.{(violating ? "compliant" : "violating")}.yaml")), $"{ruleId} needs both a violating and a compliant fixture");
        KubeSnapshot snapshot = RbacFixtures.FromYaml(File.ReadAllText(file));
        List<Finding> findings = AuditRunner.Run(snapshot, new AuditOptions { AsOf = AsOf, RestrictedPodSecurity = true }).Findings;
        if (violating)
        {
            Assert.Contains(findings, f => f.RuleId == ruleId);
        }
        else
        {
            Assert.DoesNotContain(findings, f => f.RuleId == ruleId);
        }
    }

    [Fact]
    public void Every_rule_is_exercised_by_a_fixture_pair_or_named_by_a_test()
    {
        string testsRoot = Path.Combine(TestPaths.RepoRoot, "tests");
        string sources = string.Concat(Directory.GetFiles(testsRoot, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(testsRoot, "*.ps1", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.EndsWith(nameof(RuleFixtureTests) + ".cs", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "src", "KubeSecurity.Core", "Rules"), "*.cs"))
        {
            string text = File.ReadAllText(file);
            string type = Regex.Match(text, @"public static class (\w+)").Groups[1].Value;
            foreach (Match m in Regex.Matches(text, @"public const string (\w+) = ""(KSEC-[A-Z]+-\d{3})"""))
            {
                constants[m.Groups[2].Value] = $"{type}.{m.Groups[1].Value}";
            }
        }

        List<string> unexercised = RuleCatalog.All.Select(r => r.Id)
            .Where(id => !File.Exists(Path.Combine(Folder, $"{id}.violating.yaml"))
                && !sources.Contains(id, StringComparison.Ordinal)
                && !(constants.TryGetValue(id, out string? constant) && sources.Contains(constant, StringComparison.Ordinal)))
            .ToList();
        Assert.True(unexercised.Count == 0, $"rules no test names and no fixture covers: {string.Join(", ", unexercised)}");
    }
}
