using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeSecurity.Core.Live;

namespace KubeSecurity.Completers;

/// <summary>
/// Completes -Namespace: from the snapshot already bound to -Snapshot, else from the live cluster
/// of the -Context/-Kubeconfig being typed (one quick request), else nothing.
/// </summary>
public sealed class NamespaceCompleter : IArgumentCompleter
{
    private static readonly TimeSpan LiveTimeout = TimeSpan.FromSeconds(3);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = wordToComplete.Trim('\'', '"');
        IEnumerable<string> names;
        if (InputVocabulary.From(fakeBoundParameters) is { } input)
        {
            names = input.Namespaces;
        }
        else
        {
            var options = new LiveConnectionOptions
            {
                KubeconfigPath = fakeBoundParameters?["Kubeconfig"] as string,
                Context = fakeBoundParameters?["Context"] as string,
            };
            names = NamespaceLister.TryList(options, LiveTimeout);
        }

        return names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(n => new CompletionResult(CompletionText.Quote(n), n, CompletionResultType.ParameterValue, n));
    }

}
