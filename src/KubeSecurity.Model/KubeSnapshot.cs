namespace KubeSecurity.Model;

/// <summary>
/// One in-memory model of a cluster that every analysis reads: the objects, where they came from,
/// and which kinds could not be collected (so a partial view is never mistaken for a clean one).
/// </summary>
public sealed class KubeSnapshot
{
    private readonly Dictionary<string, IReadOnlyList<KubeObject>> byKind;

    public KubeSnapshot(
        SnapshotSource source,
        string? cluster,
        string? context,
        string? server,
        DateTimeOffset collectedAt,
        IReadOnlyList<KubeObject> objects,
        IReadOnlyList<MissingKind>? missingKinds = null,
        IReadOnlyList<string>? unknownKinds = null,
        IReadOnlyList<string>? namespaceScope = null,
        bool secretValuesRedacted = false,
        IReadOnlyList<string>? origins = null,
        IReadOnlyList<string>? inputProblems = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        Source = source;
        Cluster = cluster;
        Context = context;
        Server = server;
        CollectedAt = collectedAt;
        Objects = objects;
        MissingKinds = missingKinds ?? Array.Empty<MissingKind>();
        UnknownKinds = unknownKinds ?? Array.Empty<string>();
        NamespaceScope = namespaceScope ?? Array.Empty<string>();
        SecretValuesRedacted = secretValuesRedacted;
        Origins = origins ?? Array.Empty<string>();
        InputProblems = inputProblems ?? Array.Empty<string>();

        byKind = new Dictionary<string, IReadOnlyList<KubeObject>>(StringComparer.OrdinalIgnoreCase);
        var grouped = new Dictionary<string, List<KubeObject>>(StringComparer.OrdinalIgnoreCase);
        List<KubeObject>? current = null;
        string? currentKind = null;
        foreach (KubeObject item in objects)
        {
            // Objects of one kind usually come together: only look the list up when the kind changes.
            if (!ReferenceEquals(item.Kind, currentKind))
            {
                currentKind = item.Kind;
                if (!grouped.TryGetValue(currentKind, out current))
                {
                    grouped[currentKind] = current = new List<KubeObject>();
                }
            }

            current!.Add(item);
        }

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, List<KubeObject>> pair in grouped)
        {
            byKind[pair.Key] = pair.Value;
            counts[pair.Key] = pair.Value.Count;
        }

        Counts = counts;
    }

    public SnapshotSource Source { get; }

    /// <summary>The cluster name from the kubeconfig (live), or null.</summary>
    public string? Cluster { get; }

    /// <summary>The kubeconfig context used (live), or null.</summary>
    public string? Context { get; }

    /// <summary>The API server URL (live), or null.</summary>
    public string? Server { get; }

    public DateTimeOffset CollectedAt { get; }

    /// <summary>Every object the snapshot holds, known kinds and unknown ones alike.</summary>
    public IReadOnlyList<KubeObject> Objects { get; }

    /// <summary>Objects per kind, sorted by kind.</summary>
    public IReadOnlyDictionary<string, int> Counts { get; }

    /// <summary>Kinds that could not be collected (403, not served by the API, ...).</summary>
    public IReadOnlyList<MissingKind> MissingKinds { get; }

    /// <summary>Kinds outside the set security analysis reads; they are kept and counted, not dropped.</summary>
    public IReadOnlyList<string> UnknownKinds { get; }

    /// <summary>The namespaces collection was narrowed to; empty means all namespaces.</summary>
    public IReadOnlyList<string> NamespaceScope { get; }

    /// <summary>True when Secret (and credential-bearing ConfigMap) values were replaced by fingerprints.</summary>
    public bool SecretValuesRedacted { get; }

    /// <summary>Files, saved snapshot or server the objects were read from.</summary>
    public IReadOnlyList<string> Origins { get; }

    /// <summary>Documents that could not be read ("file (document n): why"); their objects are not in the snapshot.</summary>
    public IReadOnlyList<string> InputProblems { get; }

    public int ObjectCount => Objects.Count;

    /// <summary>Objects of one kind (case-insensitive), in collection order.</summary>
    public IReadOnlyList<KubeObject> OfKind(string kind) =>
        byKind.TryGetValue(kind, out IReadOnlyList<KubeObject>? list) ? list : Array.Empty<KubeObject>();

    /// <summary>True when the kind was collected, or could have been (files and saved snapshots hold what they hold).</summary>
    public bool HasKind(string kind) => !MissingKinds.Any(m => string.Equals(m.Kind, kind, StringComparison.OrdinalIgnoreCase));

    public override string ToString()
    {
        string where = Source == SnapshotSource.Live ? Context ?? Server ?? "live" : string.Join(", ", Origins.Take(3));
        return $"KubeSnapshot ({Source}: {where}; {ObjectCount} objects in {Counts.Count} kinds)";
    }
}
