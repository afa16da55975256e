using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeSecurity.Core.Live;
using KubeSecurity.Model;

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
        if (Unwrap(fakeBoundParameters?["Snapshot"]) is KubeSnapshot snapshot)
        {
            names = snapshot.OfKind("Namespace").Select(n => n.Name)
                .Concat(snapshot.Objects.Select(o => o.Namespace).OfType<string>())
                .Distinct(StringComparer.Ordinal);
        }
        else if (fakeBoundParameters?.Contains("Path") == true || fakeBoundParameters?.Contains("LiteralPath") == true)
        {
            return Array.Empty<CompletionResult>();
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

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
