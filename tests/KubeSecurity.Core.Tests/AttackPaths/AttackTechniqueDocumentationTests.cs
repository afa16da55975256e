using System.Text;
using KubeSecurity.Core.Rules;

namespace KubeSecurity.Core.Tests.AttackPaths;

/// <summary>
/// Every technique of the attack graph has a page under docs/techniques, written from the catalogue
/// (KUBESECURITY_UPDATE_RULE_DOCS=1 rewrites them), so the page and the catalogue cannot drift apart.
/// </summary>
public class AttackTechniqueDocumentationTests
{
    private static readonly string Folder = Path.Combine(TestPaths.RepoRoot, "docs", "techniques");

    public static string Page(AttackTechnique technique)
    {
        var page = new StringBuilder();
        page.Append("# ").Append(technique.Id).Append(": ").Append(technique.Name).Append("\n\n");
        page.Append("- **Tactic:** ").Append(technique.Tactic).Append('\n');
        page.Append("- **Ease:** ").Append(technique.Ease switch { 1 => "1 (trivial: public tools do it)", 2 => "2 (needs some skill or a second condition)", _ => "3 (needs skill)" }).Append("\n\n");
        page.Append("## What it is\n").Append(technique.Description).Append("\n\n");
        page.Append("## How to cut it\n").Append(technique.Cut).Append("\n\n");
        page.Append("## References\n");
        foreach (string reference in technique.References)
        {
            page.Append("- ").Append(reference).Append('\n');
        }

        return page.ToString();
    }

    [Fact]
    public void Every_technique_has_its_page_and_every_page_a_technique()
    {
        bool update = Environment.GetEnvironmentVariable("KUBESECURITY_UPDATE_RULE_DOCS") == "1";
        Directory.CreateDirectory(Folder);
        foreach (AttackTechnique technique in AttackTechniques.All)
        {
            string file = Path.Combine(Folder, technique.Id + ".md");
            if (update)
            {
                File.WriteAllText(file, Page(technique));
            }

            Assert.True(File.Exists(file), $"{file} is missing: run the tests with KUBESECURITY_UPDATE_RULE_DOCS=1");
            Assert.Equal(Page(technique), File.ReadAllText(file).ReplaceLineEndings("\n"));
        }

        Assert.Equal(AttackTechniques.All.Select(t => t.Id + ".md").Order(StringComparer.Ordinal), Directory.GetFiles(Folder, "*.md").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(AttackTechniques.All.Count, AttackTechniques.All.Select(t => t.Id).Distinct().Count());
    }
}
