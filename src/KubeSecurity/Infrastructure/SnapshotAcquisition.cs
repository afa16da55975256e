using System.Collections.ObjectModel;
using System.Management.Automation;
using KubeSecurity.Core.Live;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// Gets a snapshot from files or a live cluster for any cmdlet: resolves PowerShell paths, reports
/// each unreadable document as a non-terminating error, warns about partial or risky collection.
/// </summary>
internal static class SnapshotAcquisition
{
    /// <summary>Resolves -Path (wildcards) or -LiteralPath to file-system paths; unresolvable ones are reported and skipped.</summary>
    public static List<string> ResolvePaths(PSCmdlet cmdlet, IEnumerable<string> paths, bool literal)
    {
        var resolved = new List<string>();
        foreach (string path in paths)
        {
            try
            {
                ProviderInfo provider;
                if (literal)
                {
                    string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
                    if (!File.Exists(full) && !Directory.Exists(full))
                    {
                        throw new ItemNotFoundException($"Cannot find path '{full}' because it does not exist.");
                    }

                    CheckFileSystem(provider, path);
                    resolved.Add(full);
                }
                else
                {
                    Collection<string> matches = cmdlet.GetResolvedProviderPathFromPSPath(path, out provider);
                    CheckFileSystem(provider, path);
                    resolved.AddRange(matches);
                }
            }
            catch (ItemNotFoundException ex)
            {
                cmdlet.WriteError(new ErrorRecord(ex, ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, path));
            }
            catch (NotSupportedException ex)
            {
                cmdlet.WriteError(new ErrorRecord(ex, ErrorIds.ProviderNotSupported, ErrorCategory.InvalidArgument, path));
            }
        }

        return resolved;
    }

    private static void CheckFileSystem(ProviderInfo provider, string path)
    {
        if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
        {
            throw new NotSupportedException($"'{path}' is on the {provider.Name} provider; manifests and snapshots must be files.");
        }
    }

    /// <summary>Reads manifests and saved snapshots into one snapshot.</summary>
    public static KubeSnapshot FromFiles(KubeCmdletBase cmdlet, IReadOnlyList<string> paths, IReadOnlyList<string>? namespaces, IReadOnlyList<string>? kinds)
    {
        cmdlet.WriteVerbose($"Reading manifests from {paths.Count} path(s): {string.Join(", ", paths.Take(5))}{(paths.Count > 5 ? ", ..." : string.Empty)}");
        Core.Audit.AuditWarmUp.StartForFiles(paths);
        var reader = new ManifestReader();
        ManifestReadResult result = cmdlet.RunEngine((reporter, token) => Task.FromResult(reader.ReadPaths(paths,
            new SynchronousProgress<string>(file => reporter.Progress(new Core.Diagnostics.OperationProgress("Reading manifests", file, -1))), token)));

        foreach (LoadProblem problem in result.Problems)
        {
            cmdlet.WriteError(ToErrorRecord(problem));
        }

        List<KubeObject> objects = namespaces is { Count: > 0 } || kinds is { Count: > 0 }
            ? SnapshotAssembler.Filter(result.Objects, namespaces, kinds)
            : result.Objects;
        // A single saved snapshot keeps its identity (context, collection time, missing kinds);
        // anything mixed with manifests becomes a file snapshot.
        KubeSnapshot? saved = result.Sources.Count == 1 ? result.SavedSnapshot : null;
        KubeSnapshot snapshot = SnapshotAssembler.Build(
            saved is null ? SnapshotSource.Files : SnapshotSource.Saved,
            saved?.Cluster,
            saved?.Context,
            saved?.Server,
            saved?.CollectedAt ?? DateTimeOffset.UtcNow,
            objects,
            saved?.MissingKinds,
            namespaces is { Count: > 0 } ? namespaces : saved?.NamespaceScope,
            saved?.SecretValuesRedacted ?? false,
            result.Sources,
            out int duplicates,
            result.Problems.Select(p => p.ToString()).ToList());

        if (duplicates > 0)
        {
            cmdlet.WriteWarning($"{duplicates} object(s) appeared more than once (same kind, namespace and name); the last one read was kept.");
        }

        if (snapshot.UnknownKinds.Count > 0)
        {
            cmdlet.WriteVerbose($"Kept {snapshot.UnknownKinds.Sum(k => snapshot.Counts[k])} object(s) of kinds the analyses do not model: {string.Join(", ", snapshot.UnknownKinds)}.");
        }

        cmdlet.WriteVerbose($"Read {snapshot.ObjectCount} object(s) of {snapshot.Counts.Count} kind(s) from {result.Sources.Count} file(s); {result.Problems.Count} problem(s).");
        return snapshot;
    }

    /// <summary>The connection options of the live parameters every input-taking cmdlet shares.</summary>
    public static LiveConnectionOptions LiveConnection(PSCmdlet cmdlet, string? kubeconfig, string? context, bool inCluster, bool skipTlsVerify, TimeSpan? requestTimeout = null) => new()
    {
        KubeconfigPath = kubeconfig is null ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(kubeconfig),
        Context = context,
        InCluster = inCluster,
        SkipTlsVerify = skipTlsVerify,
        RequestTimeout = requestTimeout ?? new LiveConnectionOptions().RequestTimeout,
    };

    /// <summary>Collects from the API server; failures that make collection impossible are terminating.</summary>
    public static KubeSnapshot FromLive(KubeCmdletBase cmdlet, LiveConnectionOptions connectionOptions, LiveSnapshotOptions snapshotOptions)
    {
        if (connectionOptions.SkipTlsVerify)
        {
            cmdlet.WriteWarning("-SkipTlsVerify is set: the API server's certificate is not verified, so anyone on the network path can impersonate it. Use this only against throwaway test clusters.");
        }

        try
        {
            using KubeConnection connection = KubeConnection.Open(connectionOptions);
            return cmdlet.RunEngine((reporter, token) => new LiveSnapshotCollector(connection, snapshotOptions, reporter).CollectAsync(token));
        }
        catch (KubeApiException ex)
        {
            cmdlet.ThrowTerminatingError(KubeCmdletBase.ApiError(ex, connectionOptions.Context ?? connectionOptions.KubeconfigPath));
            throw; // unreachable: ThrowTerminatingError always throws
        }
        catch (ArgumentException ex)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidKind, ErrorCategory.InvalidArgument, snapshotOptions.Kinds));
            throw;
        }
    }

    /// <summary>
    /// The contexts -Context names, in the order given: names as they are (connecting reports an
    /// unknown one), wildcards expanded against the kubeconfig's contexts; a wildcard that matches
    /// nothing is an error record.
    /// </summary>
    public static List<string> ExpandContexts(PSCmdlet cmdlet, string? kubeconfigPath, IEnumerable<string> patterns)
    {
        IReadOnlyList<ContextInfo>? known = null;
        var contexts = new List<string>();
        foreach (string pattern in patterns)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                contexts.Add(pattern);
                continue;
            }

            known ??= Kubeconfig.ReadContexts(kubeconfigPath).Contexts;
            var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
            List<string> matches = known.Where(c => wildcard.IsMatch(c.Name)).Select(c => c.Name).ToList();
            if (matches.Count == 0)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No kubeconfig context matches '{pattern}'. Contexts: {(known.Count == 0 ? "none (no readable kubeconfig)" : string.Join(", ", known.Select(c => c.Name)))}."),
                    ErrorIds.ContextNotFound, ErrorCategory.ObjectNotFound, pattern));
            }

            contexts.AddRange(matches);
        }

        return contexts.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The live snapshots -Context names, each handed to <paramref name="onSnapshot"/>: one
    /// context (or the current one) is collected as a single cluster, whose failure is
    /// terminating; several contexts or a wildcard are a fleet (see <see cref="FromFleet"/>).
    /// </summary>
    public static void FromContexts(KubeCmdletBase cmdlet, string? kubeconfig, string[]? context, bool inCluster, bool skipTlsVerify,
        LiveSnapshotOptions options, int throttleLimit, FleetAnalysis? analyze, Action<KubeSnapshot, object?> onSnapshot)
    {
        if (!IsFleet(context))
        {
            onSnapshot(FromLive(cmdlet, LiveConnection(cmdlet, kubeconfig, context?[0], inCluster, skipTlsVerify, options.RequestTimeout), options), null);
            return;
        }

        if (inCluster)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException("-InCluster reads the pod's own cluster; it cannot be combined with several contexts."),
                ErrorIds.KubeconfigInvalid, ErrorCategory.InvalidArgument, context));
        }

        LiveConnectionOptions connection = LiveConnection(cmdlet, kubeconfig, null, false, skipTlsVerify, options.RequestTimeout);
        List<string> contexts = ExpandContexts(cmdlet, connection.KubeconfigPath, context!);
        if (contexts.Count > 0)
        {
            FromFleet(cmdlet, connection, contexts, options, throttleLimit, analyze, onSnapshot);
        }
    }

    /// <summary>Whether -Context asks for a fleet (several contexts or a wildcard) rather than one cluster.</summary>
    public static bool IsFleet(string[]? contexts) =>
        contexts is { Length: > 1 } || (contexts is { Length: 1 } && WildcardPattern.ContainsWildcardCharacters(contexts[0]));

    /// <summary>
    /// Collects from several contexts, <paramref name="throttleLimit"/> at a time, runs
    /// <paramref name="analyze"/> (when given) on each snapshot on the same worker, so clusters are
    /// analysed in parallel too, and hands each snapshot and its analysis over on the pipeline
    /// thread as soon as they are complete; a context that cannot be collected or analysed is an
    /// error record naming it, and the others carry on.
    /// </summary>
    public static void FromFleet(KubeCmdletBase cmdlet, LiveConnectionOptions connectionOptions, IReadOnlyList<string> contexts, LiveSnapshotOptions snapshotOptions,
        int throttleLimit, FleetAnalysis? analyze, Action<KubeSnapshot, object?> onSnapshot)
    {
        if (connectionOptions.SkipTlsVerify)
        {
            cmdlet.WriteWarning("-SkipTlsVerify is set: the API servers' certificates are not verified, so anyone on the network path can impersonate them. Use this only against throwaway test clusters.");
        }

        cmdlet.WriteVerbose($"Collecting from {contexts.Count} context(s), {throttleLimit} at a time: {string.Join(", ", contexts)}.");
        cmdlet.RunEach("Collecting from clusters", contexts, throttleLimit,
            async (context, reporter, token) =>
            {
                KubeSnapshot snapshot;
                using (KubeConnection connection = KubeConnection.Open(connectionOptions with { Context = context }))
                {
                    snapshot = await new LiveSnapshotCollector(connection, snapshotOptions, reporter).CollectAsync(token).ConfigureAwait(false);
                }

                return (Snapshot: snapshot, Analysis: analyze?.Invoke(snapshot, reporter, token));
            },
            (_, collected) => onSnapshot(collected.Snapshot, collected.Analysis),
            (context, failure) => cmdlet.WriteError(ClusterError(failure, context)));
    }

    /// <summary>A cluster of a fleet that failed, as an error record that names the context first.</summary>
    public static ErrorRecord ClusterError(Exception failure, string context)
    {
        ErrorRecord record = failure switch
        {
            KubeApiException api => KubeCmdletBase.ApiError(api, context),
            ArgumentException argument => new ErrorRecord(argument, ErrorIds.InvalidKind, ErrorCategory.InvalidArgument, context),
            _ => new ErrorRecord(failure, ErrorIds.ClusterFailed, ErrorCategory.NotSpecified, context),
        };
        record.ErrorDetails = new ErrorDetails($"Context '{context}': {failure.Message}");
        return record;
    }

    public static ErrorRecord ToErrorRecord(LoadProblem problem)
    {
        (string id, ErrorCategory category) = problem.Kind switch
        {
            LoadProblemKind.NotFound => (ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound),
            LoadProblemKind.NotAnObject => (ErrorIds.NotAKubernetesObject, ErrorCategory.InvalidData),
            LoadProblemKind.LimitExceeded => (ErrorIds.InputLimitExceeded, ErrorCategory.LimitsExceeded),
            LoadProblemKind.UnsupportedFormat => (ErrorIds.UnsupportedSnapshotFormat, ErrorCategory.InvalidData),
            _ => (ErrorIds.ManifestParseError, ErrorCategory.ParserError),
        };
        var exception = new InvalidDataException(problem.ToString());
        return new ErrorRecord(exception, id, category, problem.Location);
    }
}

/// <summary>Analysis of one cluster's snapshot that runs on a fleet worker thread, in parallel with the other clusters.</summary>
internal delegate object? FleetAnalysis(KubeSnapshot snapshot, Core.Diagnostics.IOperationReporter reporter, CancellationToken cancellationToken);

/// <summary>Reports on the calling thread (unlike <see cref="Progress{T}"/>, which posts and can outlive the work).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
