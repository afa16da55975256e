namespace KubeSecurity.Model;

/// <summary>One subject's effective permissions collapsed into a line: where it holds grants, through which bindings, and whether any is full control.</summary>
public sealed record RbacSubjectSummary(
    RbacSubject Subject,
    int RuleCount,
    bool ClusterWide,
    bool FullControl,
    IReadOnlyList<string> Namespaces,
    IReadOnlyList<string> Bindings,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Pods)
{
    public string SubjectKind => Subject.Kind;
    public string SubjectName => Subject.Name;
    public string? SubjectNamespace => Subject.Namespace;

    public override string ToString() => $"{Subject}: {RuleCount} rule(s) in {(ClusterWide ? "all namespaces" : string.Join(",", Namespaces))}{(FullControl ? " (full control)" : string.Empty)}";
}
