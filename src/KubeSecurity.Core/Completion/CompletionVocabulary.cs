using System.Text.Json;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Model;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Completion;

/// <summary>
/// The words tab completion offers for a snapshot: namespaces, the RBAC vocabulary (verbs, resources
/// with their subresources, API groups) of its roles plus the built-in one, its subjects, and its
/// workloads as NAMESPACE/NAME. Computed once per snapshot and cached by the caller.
/// </summary>
public sealed class CompletionVocabulary
{
    // The verbs and resources the API server knows even when no role in the input names them.
    private static readonly string[] BuiltInVerbs =
    {
        "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
        "impersonate", "bind", "escalate", "approve", "sign", "use", "proxy", "*",
    };

    private static readonly string[] BuiltInResources =
    {
        "pods", "pods/exec", "pods/attach", "pods/portforward", "pods/log", "pods/proxy", "pods/ephemeralcontainers", "pods/status", "pods/eviction",
        "secrets", "configmaps", "services", "services/proxy", "endpoints", "serviceaccounts", "serviceaccounts/token", "namespaces",
        "nodes", "nodes/proxy", "nodes/status", "persistentvolumes", "persistentvolumeclaims", "events",
        "deployments", "deployments/scale", "statefulsets", "daemonsets", "replicasets", "jobs", "cronjobs",
        "roles", "rolebindings", "clusterroles", "clusterrolebindings", "networkpolicies", "ingresses",
        "certificatesigningrequests", "certificatesigningrequests/approval", "signers",
        "mutatingwebhookconfigurations", "validatingwebhookconfigurations", "customresourcedefinitions",
        "users", "groups", "userextras/scopes", "*",
    };

    private static readonly string[] BuiltInApiGroups =
    {
        "", "apps", "batch", "rbac.authorization.k8s.io", "networking.k8s.io", "policy", "certificates.k8s.io",
        "admissionregistration.k8s.io", "apiextensions.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
        "coordination.k8s.io", "storage.k8s.io", "*",
    };

    private static readonly string[] WorkloadKinds = { "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController" };

    private CompletionVocabulary(KubeSnapshot snapshot)
    {
        RbacPolicy policy = RbacPolicy.Build(snapshot);
        IEnumerable<RbacRule> rules = policy.Roles.SelectMany(r => r.OwnRules);
        Namespaces = Sorted(snapshot.OfKind("Namespace").Select(n => n.Name).Concat(snapshot.Objects.Select(o => o.Namespace).OfType<string>()));
        Verbs = Sorted(BuiltInVerbs.Concat(rules.SelectMany(r => r.Verbs)));
        Resources = Sorted(BuiltInResources.Concat(rules.SelectMany(r => r.Resources)).Concat(policy.Roles.SelectMany(r => r.OwnRules).SelectMany(r => r.NonResourceUrls)));
        ApiGroups = Sorted(BuiltInApiGroups.Concat(rules.SelectMany(r => r.ApiGroups)).Concat(snapshot.Objects.Select(o => o.ApiGroup)).Where(g => g.Length > 0));
        Subjects = Sorted(policy.Bindings.SelectMany(b => b.Subjects).Concat(policy.AllServiceAccounts()).Select(s => s.ToString()));
        // Top-level workloads only: a ReplicaSet of a Deployment or a Job of a CronJob is named by its owner.
        Workloads = Sorted(WorkloadKinds.SelectMany(snapshot.OfKind).Where(w => !HasOwner(w))
            .Concat(snapshot.OfKind("Pod").Where(p => !HasOwner(p)))
            .Select(o => $"{o.Namespace ?? "default"}/{o.Name}"));
    }

    public IReadOnlyList<string> Namespaces { get; }
    public IReadOnlyList<string> Verbs { get; }
    public IReadOnlyList<string> Resources { get; }
    public IReadOnlyList<string> ApiGroups { get; }
    public IReadOnlyList<string> Subjects { get; }
    public IReadOnlyList<string> Workloads { get; }

    /// <summary>The vocabulary with no input at all: the built-in verbs, resources and API groups.</summary>
    public static CompletionVocabulary BuiltIn { get; } = new(Build(Array.Empty<KubeObject>()));

    private static readonly object CacheLock = new();
    private static (string Key, DateTime ReadAt, CompletionVocabulary Vocabulary)? cached;

    public static CompletionVocabulary Of(KubeSnapshot snapshot) => new(snapshot);

    /// <summary>
    /// The vocabulary of manifest files, folders or saved snapshots. Pressing Tab repeatedly reads
    /// them once: the answer is kept while the paths and their write times stay the same (at most a minute).
    /// </summary>
    public static CompletionVocabulary OfPaths(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        string key = string.Join('|', paths.Select(p => $"{p}@{(File.Exists(p) ? File.GetLastWriteTimeUtc(p) : Directory.Exists(p) ? Directory.GetLastWriteTimeUtc(p) : DateTime.MinValue):O}"));
        lock (CacheLock)
        {
            if (cached is { } hit && hit.Key == key && DateTime.UtcNow - hit.ReadAt < TimeSpan.FromMinutes(1))
            {
                return hit.Vocabulary;
            }
        }

        Snapshots.ManifestReadResult read = new Snapshots.ManifestReader().ReadPaths(paths.Where(p => File.Exists(p) || Directory.Exists(p)), null, cancellationToken);
        var vocabulary = new CompletionVocabulary(Build(read.Objects));
        lock (CacheLock)
        {
            cached = (key, DateTime.UtcNow, vocabulary);
        }

        return vocabulary;
    }

    private static KubeSnapshot Build(IReadOnlyList<KubeObject> objects) =>
        Snapshots.SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UnixEpoch, objects, null, null, false, Array.Empty<string>(), out _);

    // A Node owning a pod (a static pod's mirror) is not a workload: the pod stands for itself.
    private static bool HasOwner(KubeObject o) =>
        o.Json.TryGet("metadata"u8, out JsonElement metadata) &&
        metadata.TryGet("ownerReferences"u8, out JsonElement owners) &&
        owners.ValueKind == JsonValueKind.Array && owners.EnumerateArray().Any(r => !(r.TryGet("kind"u8, out JsonElement kind) && kind.IsText("Node"u8)));

    private static List<string> Sorted(IEnumerable<string> values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
