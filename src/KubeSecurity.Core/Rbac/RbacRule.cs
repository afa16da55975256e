using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// One PolicyRule of a Role or ClusterRole, with the matching of the Kubernetes RBAC authorizer:
/// exact or <c>*</c> verbs, API groups and resources; <c>*/subresource</c>; resourceNames that
/// restrict by name (and therefore never match a request without a name); non-resource URLs with
/// a trailing <c>*</c> as a prefix match.
/// </summary>
public sealed class RbacRule
{
    public RbacRule(IReadOnlyList<string> verbs, IReadOnlyList<string> apiGroups, IReadOnlyList<string> resources,
        IReadOnlyList<string> resourceNames, IReadOnlyList<string> nonResourceUrls)
    {
        Verbs = verbs;
        ApiGroups = apiGroups;
        Resources = resources;
        ResourceNames = resourceNames;
        NonResourceUrls = nonResourceUrls;
    }

    public IReadOnlyList<string> Verbs { get; }
    public IReadOnlyList<string> ApiGroups { get; }
    public IReadOnlyList<string> Resources { get; }
    public IReadOnlyList<string> ResourceNames { get; }
    public IReadOnlyList<string> NonResourceUrls { get; }

    public bool AllVerbs => Verbs.Contains("*");

    /// <summary>Whether this rule allows the request (the namespace is the binding's business, not the rule's).</summary>
    public bool Allows(RbacRequest request) =>
        request.IsResourceRequest
            ? VerbMatches(request.Verb) && ApiGroupMatches(request.ApiGroup) && ResourceMatches(request.Resource ?? string.Empty, request.Subresource) && ResourceNameMatches(request.Name)
            : VerbMatches(request.Verb) && NonResourceUrlMatches(request.NonResourceUrl!);

    public bool VerbMatches(string verb)
    {
        foreach (string v in Verbs)
        {
            if (v == "*" || v == verb)
            {
                return true;
            }
        }

        return false;
    }

    public bool ApiGroupMatches(string group)
    {
        foreach (string g in ApiGroups)
        {
            if (g == "*" || g == group)
            {
                return true;
            }
        }

        return false;
    }

    public bool ResourceMatches(string resource, string? subresource)
    {
        foreach (string r in Resources)
        {
            if (r == "*")
            {
                return true;
            }

            if (string.IsNullOrEmpty(subresource))
            {
                if (r == resource)
                {
                    return true;
                }

                continue;
            }

            // "pods/exec" exactly, or "*/exec" for that subresource of every resource.
            if (r.Length == resource.Length + 1 + subresource.Length && r.StartsWith(resource, StringComparison.Ordinal)
                && r[resource.Length] == '/' && r.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }

            if (r.Length == subresource.Length + 2 && r[0] == '*' && r[1] == '/' && r.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public bool ResourceNameMatches(string? name)
    {
        if (ResourceNames.Count == 0)
        {
            return true;
        }

        return name is not null && ResourceNames.Contains(name);
    }

    public bool NonResourceUrlMatches(string url)
    {
        foreach (string u in NonResourceUrls)
        {
            if (u == "*" || u == url || (u.EndsWith('*') && url.StartsWith(u.AsSpan(0, u.Length - 1), StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => RbacPermission.FormatRule(Verbs, ApiGroups, Resources, ResourceNames, NonResourceUrls);
}
