using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// The ClusterRoles every Kubernetes API server creates for itself (cluster-admin, admin, edit,
/// view and the system: roles), from the upstream bootstrap policy. Offline input (manifests, a
/// dump of some namespaces) almost never contains them, yet its bindings name them: without them a
/// binding to cluster-admin would read as a binding to nothing. They are assumed only where the
/// input shows no default roles of its own (a live cluster returns them), each assumption is marked
/// on the role, and every answer that relies on one says so.
/// </summary>
public static class DefaultRbacPolicy
{
    /// <summary>Where the assumed roles come from, as answers name it.</summary>
    public const string Source = "the Kubernetes default (bootstrap) RBAC policy";

    private const string Resource = "KubeSecurity.Core.Rbac.kubernetes-bootstrap-cluster-roles.yaml";

    private static readonly Lazy<List<KubeObject>> Roles = new(Load);

    /// <summary>The default ClusterRoles, each labelled kubernetes.io/bootstrapping=rbac-defaults as on a cluster.</summary>
    public static IReadOnlyList<KubeObject> ClusterRoles => Roles.Value;

    /// <summary>
    /// Whether the input needs the defaults: it holds no default ClusterRole of its own (a live
    /// cluster, or a dump of one, always does), or ClusterRoles could not be collected.
    /// </summary>
    public static bool Applies(KubeSnapshot snapshot) =>
        snapshot.MissingKinds.Any(m => m.Kind == "ClusterRole") || !snapshot.OfKind("ClusterRole").Any(RbacPolicy.IsBootstrapped);

    private static List<KubeObject> Load()
    {
        using Stream stream = typeof(DefaultRbacPolicy).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The embedded resource {Resource} is missing from the engine assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var result = new ManifestReadResult();
        new ManifestReader().ReadBytes(buffer.ToArray(), Source, result);
        if (result.Problems.Count > 0)
        {
            throw new InvalidOperationException($"The embedded default RBAC policy could not be read: {string.Join("; ", result.Problems)}");
        }

        return result.Objects;
    }
}
