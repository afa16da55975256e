namespace KubeSecurity.Core.Rbac;

/// <summary>One rule reaching an identity through one binding, in the scope the binding gives it (null: cluster-wide).</summary>
public readonly record struct RbacGrant(RbacRule Rule, RbacBinding Binding, Model.RbacSubject BoundSubject)
{
    public string? Scope => Binding.Namespace;

    public string Describe() => $"{Rule} in {Scope ?? "all namespaces"} via {Binding.Ref} -> {Binding.RoleRef}";
}
