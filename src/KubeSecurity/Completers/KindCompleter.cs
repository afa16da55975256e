using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Completers;

/// <summary>Completes -Kind with the kinds a snapshot collects.</summary>
public sealed class KindCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        KnownKinds.All
            .Where(k => k.Kind.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(k => new CompletionResult(k.Kind, k.Kind, CompletionResultType.ParameterValue, $"{k.Kind} ({k.ApiVersion}, {(k.Namespaced ? "namespaced" : "cluster-scoped")})"));
}
