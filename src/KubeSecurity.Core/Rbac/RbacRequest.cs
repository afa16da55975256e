namespace KubeSecurity.Core.Rbac;

/// <summary>
/// One request as the RBAC authorizer sees it: a resource request (verb, API group, resource,
/// subresource, namespace, name) or a non-resource request (verb and URL path).
/// </summary>
public sealed record RbacRequest(string Verb, string ApiGroup, string? Resource, string? Subresource = null,
    string? Namespace = null, string? Name = null, string? NonResourceUrl = null)
{
    public bool IsResourceRequest => NonResourceUrl is null;

    /// <summary>The combined form RBAC rules name: <c>pods/exec</c>.</summary>
    public string CombinedResource => string.IsNullOrEmpty(Subresource) ? Resource ?? string.Empty : $"{Resource}/{Subresource}";

    public static RbacRequest ForResource(string verb, string resource, string apiGroup = "", string? ns = null, string? name = null)
    {
        int slash = resource.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            ? new RbacRequest(verb, apiGroup, resource[..slash], resource[(slash + 1)..], ns, name)
            : new RbacRequest(verb, apiGroup, resource, null, ns, name);
    }

    public static RbacRequest ForUrl(string verb, string url) => new(verb, string.Empty, null, NonResourceUrl: url);
}
