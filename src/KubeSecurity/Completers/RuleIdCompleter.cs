using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeSecurity.Core.Rules;

namespace KubeSecurity.Completers;

/// <summary>Completes rule ids (and -Category values) from the rule catalog.</summary>
public sealed class RuleIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = wordToComplete.Trim('\'', '"');
        if (string.Equals(parameterName, "Category", StringComparison.OrdinalIgnoreCase))
        {
            return RuleCatalog.Categories.Where(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(c => new CompletionResult(c, c, CompletionResultType.ParameterValue, c));
        }

        return RuleCatalog.All.Where(r => r.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(r => new CompletionResult(r.Id, r.Id, CompletionResultType.ParameterValue, $"{r.Id} [{r.Severity}] {r.Title}"));
    }
}
