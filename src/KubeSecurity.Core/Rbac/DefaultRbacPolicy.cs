using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// The ClusterRoles and ClusterRoleBindings every Kubernetes API server creates for itself
/// (cluster-admin, admin, edit, view, the system: roles, and the bindings of system:masters,
/// system:authenticated and the control-plane users), from the upstream bootstrap policy. Offline
/// input (manifests, a dump of some namespaces) almost never contains them, yet its bindings name
/// them: without them a binding to cluster-admin would read as a binding to nothing. They are
/// assumed only where the input lacks them (see <see cref="DefaultRbacChoice"/>); each assumption
/// is marked on the role or binding, and every answer that relies on one says so.
/// </summary>
public static class DefaultRbacPolicy
{
    /// <summary>Where the assumed objects come from, as answers name it.</summary>
    public const string Source = "the Kubernetes default (bootstrap) RBAC policy";

    /// <summary>
    /// The Kubernetes minor versions whose bootstrap policy the held data describes. Between these
    /// releases the default roles differ only by resources no risk rule reads (alpha and beta API
    /// groups behind feature gates); the rules of cluster-admin, admin, edit and view that decide
    /// findings are the same.
    /// </summary>
    public static IReadOnlyList<string> Versions { get; } = new[] { "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33" };

    private const string RolesResource = "KubeSecurity.Core.Rbac.kubernetes-bootstrap-cluster-roles.yaml";
    private const string BindingsResource = "KubeSecurity.Core.Rbac.kubernetes-bootstrap-cluster-role-bindings.yaml";

    private static readonly Lazy<List<KubeObject>> Roles = new(() => Load(RolesResource));
    private static readonly Lazy<List<KubeObject>> Bindings = new(() => Load(BindingsResource));

    /// <summary>The default ClusterRoles, each labelled kubernetes.io/bootstrapping=rbac-defaults as on a cluster.</summary>
    public static IReadOnlyList<KubeObject> ClusterRoles => Roles.Value;

    /// <summary>The default ClusterRoleBindings (system:masters to cluster-admin, system:authenticated to discovery, ...).</summary>
    public static IReadOnlyList<KubeObject> ClusterRoleBindings => Bindings.Value;

    /// <summary>
    /// Whether the input lacks the defaults as a whole: it holds no default ClusterRole of its own (a
    /// live cluster, or a dump of one, always does), or ClusterRoles could not be collected.
    /// </summary>
    public static bool Applies(KubeSnapshot snapshot) =>
        snapshot.MissingKinds.Any(m => m.Kind == "ClusterRole") || !snapshot.OfKind("ClusterRole").Any(RbacPolicy.IsBootstrapped);

    /// <summary>
    /// Whether this snapshot gets the defaults under this choice. Auto: when the input lacks them as a
    /// whole. A named version: also offline input that holds some defaults (each missing one is
    /// added by name); a live snapshot still only when the API did not return them, because a
    /// default role missing from a live cluster was deleted and grants nothing.
    /// </summary>
    public static bool AppliesTo(KubeSnapshot snapshot, DefaultRbacChoice choice) => choice.Mode switch
    {
        DefaultRbacMode.None => false,
        DefaultRbacMode.Version when snapshot.Source != SnapshotSource.Live => true,
        _ => Applies(snapshot),
    };

    private static List<KubeObject> Load(string resource)
    {
        using Stream stream = typeof(DefaultRbacPolicy).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the engine assembly.");
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

/// <summary>How the default RBAC policy is used: where the input lacks it, never, or as of a named Kubernetes version.</summary>
public enum DefaultRbacMode
{
    Auto,
    None,
    Version,
}

/// <summary>The user's choice of default RBAC policy (<c>-DefaultRbac Auto|None|1.NN</c>).</summary>
public sealed record DefaultRbacChoice(DefaultRbacMode Mode, string? Version = null)
{
    public static DefaultRbacChoice Auto { get; } = new(DefaultRbacMode.Auto);

    public static DefaultRbacChoice None { get; } = new(DefaultRbacMode.None);

    /// <summary>The words and versions a user may pass, for completion and error messages.</summary>
    public static IReadOnlyList<string> Choices { get; } = new[] { "Auto", "None" }.Concat(DefaultRbacPolicy.Versions).ToArray();

    public static bool TryParse(string? text, out DefaultRbacChoice choice, out string error)
    {
        error = string.Empty;
        string value = (text ?? "Auto").Trim();
        if (value.Length == 0 || value.Equals("Auto", StringComparison.OrdinalIgnoreCase))
        {
            choice = Auto;
            return true;
        }

        if (value.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            choice = None;
            return true;
        }

        string version = value.TrimStart('v', 'V');
        if (DefaultRbacPolicy.Versions.Contains(version, StringComparer.Ordinal))
        {
            choice = new DefaultRbacChoice(DefaultRbacMode.Version, version);
            return true;
        }

        choice = Auto;
        error = $"'{text}' is not a default RBAC choice: use Auto (assume the default roles where the input lacks them), None (never), or a Kubernetes version whose bootstrap policy the module holds ({string.Join(", ", DefaultRbacPolicy.Versions)}).";
        return false;
    }

    /// <summary>The choice a validated parameter holds (values the validator refused never get here; null is Auto).</summary>
    public static DefaultRbacChoice FromValidated(string? text) => TryParse(text, out DefaultRbacChoice choice, out _) ? choice : Auto;

    public override string ToString() => Mode == DefaultRbacMode.Version ? Version! : Mode.ToString();
}
