namespace KubeSecurity.Model;

/// <summary>
/// One effective grant: a subject may do these verbs on these resources (or non-resource URLs) in
/// this scope, because a binding points at a role holding this rule. Who-can answers, effective
/// permissions and access decisions are all rows of this type.
/// </summary>
public sealed record RbacPermission(
    RbacSubject Subject,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls,
    string? Namespace,
    ResourceRef? Binding,
    ResourceRef? Role,
    string? Via = null)
{
    public string SubjectKind => Subject.Kind;
    public string SubjectName => Subject.Name;
    public string? SubjectNamespace => Subject.Namespace;

    /// <summary>The namespace the grant holds in, or <c>*</c> for a cluster-wide grant.</summary>
    public string Scope => Namespace ?? "*";

    /// <summary>Running pods that use this service account: compromising one of them yields this grant.</summary>
    public IReadOnlyList<string> Pods { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Null when the grant rests only on objects in the input. Otherwise what was assumed from the
    /// Kubernetes default RBAC policy because the input lacks it (e.g. <c>ClusterRole/cluster-admin
    /// from the Kubernetes default (bootstrap) RBAC policy</c>): the answer holds on a real cluster
    /// only if that default is unchanged there.
    /// </summary>
    public string? AssumedDefault { get; init; }

    /// <summary>The rule in the compact form people read: <c>get,list secrets</c>, <c>* *.*</c>, <c>get /metrics</c>.</summary>
    public string Rule => FormatRule(Verbs, ApiGroups, Resources, ResourceNames, NonResourceUrls);

    public static string FormatRule(IReadOnlyList<string> verbs, IReadOnlyList<string> apiGroups, IReadOnlyList<string> resources,
        IReadOnlyList<string> resourceNames, IReadOnlyList<string> nonResourceUrls)
    {
        string verbText = string.Join(",", verbs);
        if (nonResourceUrls.Count > 0)
        {
            return $"{verbText} {string.Join(",", nonResourceUrls)}";
        }

        string groups = apiGroups.Count == 1 && apiGroups[0].Length == 0 ? string.Empty : $".{(apiGroups.Count == 1 ? apiGroups[0] : "{" + string.Join(",", apiGroups.Select(g => g.Length == 0 ? "core" : g)) + "}")}";
        string names = resourceNames.Count == 0 ? string.Empty : $" [{string.Join(",", resourceNames)}]";
        return $"{verbText} {string.Join(",", resources)}{groups}{names}";
    }

    public override string ToString() => $"{Subject} {Rule} in {Scope}{(Binding is null ? string.Empty : $" via {Binding} -> {Role}")}{(Via is null ? string.Empty : $" ({Via})")}";
}
