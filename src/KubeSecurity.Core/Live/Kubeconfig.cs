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

    /// <summary>
    /// The kubeconfig files merged as kubectl merges $KUBECONFIG: for clusters, users and contexts the
    /// first file that names one wins; current-context is the first one set. Relative certificate,
    /// key and exec-command paths are resolved against the file that holds them, so a context in
    /// one file may use a cluster or user from another.
    /// </summary>
    public static K8SConfiguration Merge(IReadOnlyList<string> paths)
    {
        var clusters = new Dictionary<string, Cluster>(StringComparer.Ordinal);
        var users = new Dictionary<string, User>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, Context>(StringComparer.Ordinal);
        string? current = null;
        foreach (string path in paths)
        {
            K8SConfiguration config = KubernetesClientConfiguration.LoadKubeConfig(path, useRelativePaths: false);
            string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            current = string.IsNullOrEmpty(current) ? config.CurrentContext : current;
            foreach (Cluster cluster in config.Clusters ?? Enumerable.Empty<Cluster>())
            {
                if (cluster.Name is not null && !clusters.ContainsKey(cluster.Name))
                {
                    if (cluster.ClusterEndpoint is { } endpoint)
                    {
                        endpoint.CertificateAuthority = Absolute(directory, endpoint.CertificateAuthority);
                    }

                    clusters[cluster.Name] = cluster;
                }
            }

            foreach (User user in config.Users ?? Enumerable.Empty<User>())
            {
                if (user.Name is not null && !users.ContainsKey(user.Name))
                {
                    if (user.UserCredentials is { } credentials)
                    {
                        credentials.ClientCertificate = Absolute(directory, credentials.ClientCertificate);
                        credentials.ClientKey = Absolute(directory, credentials.ClientKey);
                        if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains('/', StringComparison.Ordinal))
                        {
                            // kubectl: a command with a path separator is relative to its kubeconfig; a bare name is looked up on PATH.
                            exec.Command = Absolute(directory, command);
                        }
                    }

                    users[user.Name] = user;
                }
            }

            foreach (Context context in config.Contexts ?? Enumerable.Empty<Context>())
            {
                if (context.Name is not null)
                {
                    contexts.TryAdd(context.Name, context);
                }
            }
        }

        return new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = current,
            Clusters = clusters.Values.ToList(),
            Users = users.Values.ToList(),
            Contexts = contexts.Values.ToList(),
        };
    }

    private static string? Absolute(string directory, string? path) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));

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
