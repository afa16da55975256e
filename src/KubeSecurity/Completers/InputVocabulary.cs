using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KubeSecurity.Core.Completion;
using KubeSecurity.Model;

namespace KubeSecurity.Completers;

/// <summary>
/// What the command being typed reads, for its completers: the snapshot bound to -Snapshot, else
/// the files of -Path/-LiteralPath (relative to the current location), else nothing (null).
/// </summary>
internal static class InputVocabulary
{
    public static CompletionVocabulary? From(IDictionary? boundParameters)
    {
        if (Unwrap(boundParameters?["Snapshot"]) is KubeSnapshot snapshot)
        {
            return CompletionVocabulary.Of(snapshot);
        }

        object? paths = boundParameters?["Path"] ?? boundParameters?["LiteralPath"];
        if (paths is null)
        {
            return null;
        }

        List<string> resolved = Strings(paths).Select(Resolve).ToList();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return CompletionVocabulary.OfPaths(resolved, timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException or InvalidDataException)
        {
            // Completion never fails the prompt: unreadable input completes nothing.
            return null;
        }
    }

    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> words, string wordToComplete)
    {
        string prefix = wordToComplete.Trim('\'', '"');
        return words.Where(w => w.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(w => new CompletionResult(CompletionText.Quote(w), w, CompletionResultType.ParameterValue, w));
    }

    private static IEnumerable<string> Strings(object value) => Unwrap(value) switch
    {
        string text => new[] { text },
        IEnumerable many => many.Cast<object?>().Select(v => Unwrap(v)?.ToString()).OfType<string>(),
        var other => new[] { other?.ToString() ?? string.Empty },
    };

    private static string Resolve(string path)
    {
        if (System.IO.Path.IsPathRooted(path))
        {
            return path;
        }

        string? location = null;
        try
        {
            location = Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath;
        }
        catch (PSInvalidOperationException)
        {
            // The runspace is busy elsewhere: fall back to the process directory.
        }

        return System.IO.Path.GetFullPath(System.IO.Path.Combine(location ?? Environment.CurrentDirectory, path));
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
