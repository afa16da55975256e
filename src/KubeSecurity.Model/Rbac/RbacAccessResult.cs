namespace KubeSecurity.Model;

/// <summary>
/// Whether a subject may make one request, answered from the snapshot as the RBAC authorizer
/// would answer it, and why: the grants that allow it, or the reason nothing does.
/// </summary>
public sealed record RbacAccessResult(
    RbacSubject Subject,
    string Verb,
    string? ApiGroup,
    string? Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string? NonResourceUrl,
    bool Allowed,
    string Reason,
    IReadOnlyList<RbacPermission> GrantedBy)
{
    /// <summary>The request in kubectl's words: <c>create pods/exec in payments</c>.</summary>
    public string Request
    {
        get
        {
            if (NonResourceUrl is not null)
            {
                return $"{Verb} {NonResourceUrl}";
            }

            string resource = Resource + (string.IsNullOrEmpty(Subresource) ? string.Empty : "/" + Subresource) + (string.IsNullOrEmpty(ApiGroup) ? string.Empty : "." + ApiGroup);
            string name = string.IsNullOrEmpty(Name) ? string.Empty : $" {Name}";
            return $"{Verb} {resource}{name} in {(string.IsNullOrEmpty(Namespace) ? "cluster scope" : Namespace)}";
        }
    }

    public override string ToString() => $"{(Allowed ? "yes" : "no")}: {Subject} {Request} - {Reason}";
}
