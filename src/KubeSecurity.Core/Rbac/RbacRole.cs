using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>A Role or ClusterRole with its effective rules (aggregated ClusterRoles: their own rules plus those of the roles they select).</summary>
public sealed class RbacRole
{
    public RbacRole(KubeObject source, IReadOnlyList<RbacRule> ownRules, bool aggregates)
    {
        Source = source;
        OwnRules = ownRules;
        Rules = ownRules;
        Aggregates = aggregates;
        Key = RoleKey(source.Kind, source.Namespace, source.Name);
    }

    public KubeObject Source { get; }
    public string Kind => Source.Kind;
    public string? Namespace => Source.Namespace;
    public string Name => Source.Name;
    public IReadOnlyList<RbacRule> OwnRules { get; }

    /// <summary>The rules that count, aggregation resolved.</summary>
    public IReadOnlyList<RbacRule> Rules { get; internal set; }

    public bool Aggregates { get; }

    /// <summary>The aggregated ClusterRoles whose selectors pick this role up.</summary>
    public List<string> AggregatedInto { get; } = new();

    /// <summary>Labelled <c>kubernetes.io/bootstrapping=rbac-defaults</c>: created by the API server itself.</summary>
    public bool IsSystemDefault => RbacPolicy.IsBootstrapped(Source);

    /// <summary>Not in the input: taken from <see cref="DefaultRbacPolicy"/> because the input lacks the cluster's default roles.</summary>
    public bool IsAssumedDefault { get; internal set; }

    public ResourceRef Ref => Source.ToResourceRef();

    public string Key { get; }

    internal static string RoleKey(string kind, string? ns, string name) => kind == "ClusterRole" ? $"ClusterRole/{name}" : $"Role/{ns}/{name}";
}

/// <summary>A RoleBinding or ClusterRoleBinding: which subjects get which role, and where.</summary>
public sealed class RbacBinding
{
    public RbacBinding(KubeObject source, string roleKind, string roleName, IReadOnlyList<RbacSubject> subjects)
    {
        Source = source;
        RoleKind = roleKind;
        RoleName = roleName;
        Subjects = subjects;
    }

    public KubeObject Source { get; }
    public string Kind => Source.Kind;

    /// <summary>The binding's namespace; null for a ClusterRoleBinding, whose grants hold cluster-wide.</summary>
    public string? Namespace => Source.Namespace;
    public string Name => Source.Name;
    public string RoleKind { get; }
    public string RoleName { get; }
    public IReadOnlyList<RbacSubject> Subjects { get; }

    /// <summary>Resolved by the policy; null when the role does not exist (the binding grants nothing).</summary>
    public RbacRole? Role { get; internal set; }

    public bool IsClusterWide => Kind == "ClusterRoleBinding";

    public bool IsSystemDefault => RbacPolicy.IsBootstrapped(Source);

    /// <summary>Not in the input: taken from <see cref="DefaultRbacPolicy"/> because the input lacks the cluster's default bindings.</summary>
    public bool IsAssumedDefault { get; internal set; }

    /// <summary>Whether what this binding grants rests on the default policy (the binding or its role was assumed).</summary>
    public bool ReliesOnDefaults => IsAssumedDefault || Role?.IsAssumedDefault == true;

    /// <summary>What an answer resting on this binding assumed, or null when it assumed nothing.</summary>
    public string? Assumption => !ReliesOnDefaults ? null
        : IsAssumedDefault ? $"{Ref} and {RoleRef} from {DefaultRbacPolicy.Source}"
        : $"{RoleRef} from {DefaultRbacPolicy.Source}";

    public ResourceRef Ref => Source.ToResourceRef();

    public ResourceRef RoleRef => new(RoleKind, RoleKind == "ClusterRole" ? null : Namespace, RoleName);

    public string RoleKey => RbacRole.RoleKey(RoleKind, Namespace, RoleName);
}

/// <summary>Something in the RBAC objects the authorizer would ignore or reject, named precisely; analysis goes on without it.</summary>
public sealed record RbacProblem(ResourceRef Resource, string Message)
{
    public override string ToString() => $"{Resource}: {Message}";
}
