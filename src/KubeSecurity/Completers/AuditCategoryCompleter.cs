using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeSecurity.Core.Audit;

namespace KubeSecurity.Completers;

/// <summary>Completes -Category with the categories of the registered audit areas.</summary>
public sealed class AuditCategoryCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        InputVocabulary.Matching(AuditAreas.Categories, wordToComplete);
}
