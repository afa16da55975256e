using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeSecurity.Core.Completion;

namespace KubeSecurity.Completers;

/// <summary>Completes -Verb, -Resource (with subresources and non-resource URLs) and -ApiGroup from the RBAC vocabulary of the input, plus the built-in one.</summary>
public sealed class RbacVocabularyCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        CompletionVocabulary vocabulary = InputVocabulary.From(fakeBoundParameters) ?? CompletionVocabulary.BuiltIn;
        IEnumerable<string> words = parameterName switch
        {
            "Verb" => vocabulary.Verbs,
            "ApiGroup" => vocabulary.ApiGroups,
            _ => vocabulary.Resources,
        };
        return InputVocabulary.Matching(words, wordToComplete);
    }
}

/// <summary>Completes -Subject from the bindings and service accounts of the input (User:..., Group:..., ServiceAccount:ns/name).</summary>
public sealed class SubjectCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        InputVocabulary.Matching(InputVocabulary.From(fakeBoundParameters)?.Subjects ?? Array.Empty<string>(), wordToComplete);
}

/// <summary>Completes -From and -To with the workloads (and bare pods) of the input as NAMESPACE/NAME.</summary>
public sealed class WorkloadCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        InputVocabulary.Matching(InputVocabulary.From(fakeBoundParameters)?.Workloads ?? Array.Empty<string>(), wordToComplete);
}

/// <summary>
/// Completes Get-KubeAttackPath's -From (external, the input's workloads as NAMESPACE/NAME, its
/// subjects) and -To (cluster-admin, node, secrets:NAMESPACE for its namespaces, its subjects).
/// </summary>
public sealed class AttackEndpointCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        CompletionVocabulary? input = InputVocabulary.From(fakeBoundParameters);
        IEnumerable<string> words = parameterName == "From"
            ? new[] { "external" }.Concat(input?.Workloads ?? Array.Empty<string>()).Concat(input?.Subjects ?? Array.Empty<string>())
            : new[] { "cluster-admin", "node" }.Concat((input?.Namespaces ?? Array.Empty<string>()).Select(ns => "secrets:" + ns)).Concat(input?.Subjects ?? Array.Empty<string>());
        return InputVocabulary.Matching(words, wordToComplete);
    }
}
