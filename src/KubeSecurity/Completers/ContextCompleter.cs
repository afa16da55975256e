using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeSecurity.Core.Live;

namespace KubeSecurity.Completers;

/// <summary>Completes -Context from the kubeconfig in effect (-Kubeconfig if already typed).</summary>
public sealed class ContextCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? kubeconfig = fakeBoundParameters?["Kubeconfig"] as string;
        (IReadOnlyList<ContextInfo> contexts, string? current) = Kubeconfig.ReadContexts(kubeconfig);
        return contexts
            .Where(c => c.Name.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(CompletionText.Quote(c.Name), c.Name, CompletionResultType.ParameterValue,
                $"{c.Name}{(c.Name == current ? " (current)" : string.Empty)}: cluster {c.Cluster}, user {c.User}"));
    }
}
