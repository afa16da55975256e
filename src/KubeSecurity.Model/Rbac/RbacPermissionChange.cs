namespace KubeSecurity.Model;

/// <summary>A permission a subject gained or lost between two snapshots, per scope, API group and resource.</summary>
public sealed record RbacPermissionChange(
    string Change,
    RbacSubject Subject,
    string Scope,
    string? ApiGroup,
    string? Resource,
    string? NonResourceUrl,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ResourceNames)
{
    public string SubjectKind => Subject.Kind;
    public string SubjectName => Subject.Name;
    public string? SubjectNamespace => Subject.Namespace;

    public string Target => NonResourceUrl ?? $"{Resource}{(string.IsNullOrEmpty(ApiGroup) ? string.Empty : "." + ApiGroup)}{(ResourceNames.Count == 0 ? string.Empty : $" [{string.Join(",", ResourceNames)}]")}";

    public override string ToString() => $"{Change}: {Subject} {string.Join(",", Verbs)} {Target} in {Scope}";
}
