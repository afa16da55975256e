using KubeSecurity.Model;

namespace KubeSecurity.Core.Snapshots;

/// <summary>Builds a <see cref="KubeSnapshot"/>: drops duplicate objects (last read wins) and names the unknown kinds.</summary>
public static class SnapshotAssembler
{
    public static KubeSnapshot Build(SnapshotSource source, string? cluster, string? context, string? server,
        DateTimeOffset collectedAt, IReadOnlyList<KubeObject> objects, IReadOnlyList<MissingKind>? missing,
        IReadOnlyList<string>? namespaceScope, bool redacted, IReadOnlyList<string> origins, out int duplicates,
        IReadOnlyList<string>? inputProblems = null)
    {
        var positions = new Dictionary<ObjectKey, int>(objects.Count, ObjectKeyComparer.Instance);
        var unique = new List<KubeObject>(objects.Count);
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        string? previousKind = null;
        duplicates = 0;
        foreach (KubeObject item in objects)
        {
            var key = new ObjectKey(item.ApiGroup, item.Kind, item.Namespace ?? string.Empty, item.Name);
            if (positions.TryGetValue(key, out int existing))
            {
                unique[existing] = item;
                duplicates++;
                continue;
            }

            positions[key] = unique.Count;
            unique.Add(item);

            // Objects of one kind usually come together: skip the set when the kind is the same string.
            if (!ReferenceEquals(item.Kind, previousKind))
            {
                kinds.Add(item.Kind);
                previousKind = item.Kind;
            }
        }

        List<string> unknown = kinds.Where(k => !KnownKinds.IsKnown(k)).Order(StringComparer.Ordinal).ToList();
        return new KubeSnapshot(source, cluster, context, server, collectedAt, unique, missing, unknown, namespaceScope, redacted, origins, inputProblems);
    }

    private readonly record struct ObjectKey(string Group, string Kind, string Namespace, string Name);

    /// <summary>Hashes the name only (it nearly always differs); equality still compares all four parts.</summary>
    private sealed class ObjectKeyComparer : IEqualityComparer<ObjectKey>
    {
        public static ObjectKeyComparer Instance { get; } = new();

        public bool Equals(ObjectKey x, ObjectKey y) =>
            string.Equals(x.Name, y.Name, StringComparison.Ordinal) && string.Equals(x.Namespace, y.Namespace, StringComparison.Ordinal)
            && string.Equals(x.Kind, y.Kind, StringComparison.Ordinal) && string.Equals(x.Group, y.Group, StringComparison.Ordinal);

        public int GetHashCode(ObjectKey key) => key.Name.GetHashCode(StringComparison.Ordinal);
    }

    /// <summary>Narrows a file-based snapshot to namespaces and kinds, as a live collection would have been narrowed.</summary>
    public static List<KubeObject> Filter(IEnumerable<KubeObject> objects, IReadOnlyCollection<string>? namespaces, IReadOnlyCollection<string>? kinds)
    {
        HashSet<string>? kindSet = kinds is { Count: > 0 } ? new HashSet<string>(kinds.Select(k => KnownKinds.TryGet(k, out KnownKind known) ? known.Kind : k), StringComparer.OrdinalIgnoreCase) : null;
        HashSet<string>? nsSet = namespaces is { Count: > 0 } ? new HashSet<string>(namespaces, StringComparer.Ordinal) : null;
        return objects.Where(o => kindSet is null || kindSet.Contains(o.Kind))
            .Where(o => nsSet is null || InScope(o, nsSet))
            .ToList();

        // Cluster-scoped objects (roles, nodes, webhooks) stay: namespaced analyses still need them.
        static bool InScope(KubeObject o, HashSet<string> scope) =>
            o.Namespace is not null ? scope.Contains(o.Namespace) : o.Kind != "Namespace" || scope.Contains(o.Name);
    }
}
