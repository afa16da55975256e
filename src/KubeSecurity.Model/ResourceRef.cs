namespace KubeSecurity.Model;

/// <summary>Names one Kubernetes object: kind, namespace (empty for cluster-scoped) and name.</summary>
public sealed record ResourceRef(string Kind, string? Namespace, string Name)
{
    /// <summary>The form kubectl users read: <c>Kind/namespace/name</c> or <c>Kind/name</c>.</summary>
    public override string ToString() =>
        string.IsNullOrEmpty(Namespace) ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
