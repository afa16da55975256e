namespace KubeSecurity.Core.Rbac;

/// <summary>
/// What an escalation search looks for: cluster-admin (the default), or one permission written as
/// kubectl would (<c>get secrets</c>, <c>create pods/exec</c>, <c>update deployments.apps</c>),
/// optionally in one namespace.
/// </summary>
public sealed record EscalationTarget(string Text, RbacRequest? Request)
{
    public const string ClusterAdmin = "cluster-admin";

    public bool IsClusterAdmin => Request is null;

    public static EscalationTarget Parse(string? text, string? ns)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals(ClusterAdmin, StringComparison.OrdinalIgnoreCase))
        {
            return new EscalationTarget(ClusterAdmin, null);
        }

        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 2)
        {
            throw new FormatException($"'{text}' is not a target. Use cluster-admin or 'VERB RESOURCE[.GROUP][/SUBRESOURCE]', for example 'get secrets' or 'create pods/exec'.");
        }

        string resource = words[1];
        if (resource.StartsWith('/'))
        {
            return new EscalationTarget(text.Trim(), RbacRequest.ForUrl(words[0], resource));
        }

        string? subresource = null;
        int slash = resource.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            subresource = resource[(slash + 1)..];
            resource = resource[..slash];
        }

        int dot = resource.IndexOf('.', StringComparison.Ordinal);
        string group = dot > 0 ? resource[(dot + 1)..] : string.Empty;
        resource = dot > 0 ? resource[..dot] : resource;
        string? scope = RbacPolicy.IsClusterScopedResource(resource) ? null : ns;
        return new EscalationTarget($"{text.Trim()}{(scope is null ? string.Empty : $" in {scope}")}", new RbacRequest(words[0], group, resource, subresource, scope));
    }
}
