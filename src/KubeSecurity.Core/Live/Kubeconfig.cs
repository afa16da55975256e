using k8s;
using k8s.KubeConfigModels;

namespace KubeSecurity.Core.Live;

/// <summary>Finds and reads kubeconfig files the way kubectl does.</summary>
public static class Kubeconfig
{
    /// <summary>The kubeconfig files in effect: the explicit path, else each existing file in $KUBECONFIG, else ~/.kube/config.</summary>
    public static IReadOnlyList<string> ResolvePaths(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return new[] { Path.GetFullPath(explicitPath) };
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            List<string> files = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(File.Exists).ToList();
            if (files.Count > 0)
            {
                return files;
            }
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string defaultPath = Path.Combine(home, ".kube", "config");
        return File.Exists(defaultPath) ? new[] { defaultPath } : Array.Empty<string>();
    }

    /// <summary>
    /// The file to build a connection from: with several kubeconfig files (as $KUBECONFIG allows),
    /// the first that defines the context; the context defaults to the first current-context set.
    /// </summary>
    public static (string File, string? Context, string? Cluster) SelectContext(IReadOnlyList<string> paths, string? context)
    {
        (IReadOnlyList<ContextInfo> contexts, string? current) = ReadContexts(paths);
        string? chosen = context ?? current;
        ContextInfo? defining = contexts.FirstOrDefault(c => c.Name == chosen);
        if (chosen is not null && contexts.Count > 0 && defining is null)
        {
            throw new KubeApiException(ApiFailure.Configuration,
                $"There is no context named '{chosen}' in {string.Join(", ", paths)}. Contexts: {string.Join(", ", contexts.Select(c => c.Name))}.");
        }

        return (defining?.File ?? paths[0], chosen, defining?.Cluster);
    }

    /// <summary>Context names and the current context, for completers and defaults. Unreadable files yield nothing.</summary>
    public static (IReadOnlyList<ContextInfo> Contexts, string? Current) ReadContexts(string? explicitPath) => ReadContexts(ResolvePaths(explicitPath));

    private static (IReadOnlyList<ContextInfo> Contexts, string? Current) ReadContexts(IReadOnlyList<string> paths)
    {
        var contexts = new List<ContextInfo>();
        string? current = null;
        foreach (string path in paths)
        {
            try
            {
                K8SConfiguration config = KubernetesClientConfiguration.LoadKubeConfig(path);
                current ??= config.CurrentContext;
                foreach (Context context in config.Contexts ?? Enumerable.Empty<Context>())
                {
                    if (contexts.All(c => c.Name != context.Name))
                    {
                        contexts.Add(new ContextInfo(context.Name, context.ContextDetails?.Cluster, context.ContextDetails?.User, context.ContextDetails?.Namespace, path));
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or k8s.Exceptions.KubeConfigException or YamlDotNet.Core.YamlException)
            {
                // An unreadable kubeconfig contributes no contexts; connecting reports the real error.
            }
        }

        return (contexts, current);
    }
}

/// <summary>One kubeconfig context.</summary>
public sealed record ContextInfo(string Name, string? Cluster, string? User, string? Namespace, string File);
