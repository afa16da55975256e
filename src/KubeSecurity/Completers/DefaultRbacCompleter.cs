using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeSecurity.Core.Rbac;

namespace KubeSecurity.Completers;

/// <summary>Completes -DefaultRbac with Auto, None and the Kubernetes versions whose bootstrap policy the module holds.</summary>
public sealed class DefaultRbacCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        InputVocabulary.Matching(DefaultRbacChoice.Choices, wordToComplete);
}
