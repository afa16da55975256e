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
        // Arrays: matching runs over tens of thousands of rules per query, and indexing an array
        // allocates nothing where enumerating an interface would.
        verbs_ = verbs.ToArray();
        groups_ = apiGroups.ToArray();
        resources_ = resources.ToArray();
        names_ = resourceNames.ToArray();
        urls_ = nonResourceUrls.ToArray();
        text = Model.RbacPermission.FormatRule(verbs_, groups_, resources_, names_, urls_);
    }

    private readonly string[] verbs_;
    private readonly string[] groups_;
    private readonly string[] resources_;
    private readonly string[] names_;
    private readonly string[] urls_;
    private readonly string text;

    public IReadOnlyList<string> Verbs => verbs_;
    public IReadOnlyList<string> ApiGroups => groups_;
    public IReadOnlyList<string> Resources => resources_;
    public IReadOnlyList<string> ResourceNames => names_;
    public IReadOnlyList<string> NonResourceUrls => urls_;


    /// <summary>
    /// Whether the rule allows the request for some object name: verb, group and resource match, and
    /// resourceNames (if any) narrow it to named objects without removing it.
    /// </summary>
    public bool AllowsSomeName(RbacRequest request) =>
        request.IsResourceRequest && VerbMatches(request.Verb) && ApiGroupMatches(request.ApiGroup) && ResourceMatches(request.Resource ?? string.Empty, request.Subresource);

    /// <summary>Whether this rule allows the request (the namespace is the binding's business, not the rule's).</summary>
    public bool Allows(RbacRequest request) =>
        request.IsResourceRequest
            ? VerbMatches(request.Verb) && ApiGroupMatches(request.ApiGroup) && ResourceMatches(request.Resource ?? string.Empty, request.Subresource) && ResourceNameMatches(request.Name)
            : VerbMatches(request.Verb) && NonResourceUrlMatches(request.NonResourceUrl!);

    public bool VerbMatches(string verb)
    {
        foreach (string v in verbs_)
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
        foreach (string g in groups_)
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
        foreach (string r in resources_)
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
        if (names_.Length == 0)
        {
            return true;
        }

        return name is not null && Array.IndexOf(names_, name) >= 0;
    }

    public bool NonResourceUrlMatches(string url)
    {
        foreach (string u in urls_)
        {
            if (u == "*" || u == url || (u.EndsWith('*') && url.StartsWith(u.AsSpan(0, u.Length - 1), StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => text;
}
