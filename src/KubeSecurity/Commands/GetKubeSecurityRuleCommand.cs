using System.Management.Automation;
using KubeSecurity.Completers;
using KubeSecurity.Core.Rules;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Lists the rules the analyses report: id, title, severity, category, remediation and references.</summary>
[Cmdlet(VerbsCommon.Get, "KubeSecurityRule", HelpUri = HelpLinks.Base + "Get-KubeSecurityRule.md")]
[OutputType(typeof(SecurityRule))]
public sealed class GetKubeSecurityRuleCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RuleId")]
    [ArgumentCompleter(typeof(RuleIdCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RuleIdCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Category { get; set; }

    [Parameter]
    public Severity? MinimumSeverity { get; set; }

    protected override void ProcessRecord()
    {
        var categories = (Category ?? Array.Empty<string>()).Select(c => new WildcardPattern(c, WildcardOptions.IgnoreCase)).ToList();
        IEnumerable<SecurityRule> rules = RuleCatalog.All
            .Where(r => categories.Count == 0 || categories.Any(p => p.IsMatch(r.Category)))
            // A rule whose findings can reach the severity counts: its range, not only its default.
            .Where(r => MinimumSeverity is null || r.MaximumSeverity >= MinimumSeverity);

        if (Id is null)
        {
            WriteObject(rules, enumerateCollection: true);
            return;
        }

        List<SecurityRule> candidates = rules.ToList();
        foreach (string id in Id)
        {
            var pattern = new WildcardPattern(id, WildcardOptions.IgnoreCase);
            List<SecurityRule> matches = candidates.Where(r => pattern.IsMatch(r.Id)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(id))
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"No rule has the id '{id}'. Run Get-KubeSecurityRule to list them."), ErrorIds.NoMatchingRule, ErrorCategory.ObjectNotFound, id));
            }

            WriteObject(matches, enumerateCollection: true);
        }
    }
}
