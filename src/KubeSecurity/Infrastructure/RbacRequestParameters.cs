using KubeSecurity.Core.Rbac;

namespace KubeSecurity.Infrastructure;

/// <summary>Turns -Verb/-Resource/-Subresource/-ApiGroup/-Name/-NonResourceUrl into authorizer requests, accepting kubectl's spellings (pods/exec, deployments.apps).</summary>
internal static class RbacRequestParameters
{
    public static RbacRequest Build(string verb, string? resource, string? subresource, string? apiGroup, string? ns, string? name, string? nonResourceUrl)
    {
        if (nonResourceUrl is not null)
        {
            return RbacRequest.ForUrl(verb, nonResourceUrl);
        }

        string text = resource ?? throw new ArgumentException("Give -Resource, or -NonResourceUrl for a URL such as /metrics.");
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            subresource ??= text[(slash + 1)..];
            text = text[..slash];
        }

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            apiGroup ??= text[(dot + 1)..];
            text = text[..dot];
        }

        string? scope = RbacPolicy.IsClusterScopedResource(text) ? null : ns;
        return new RbacRequest(verb, apiGroup ?? string.Empty, text, string.IsNullOrEmpty(subresource) ? null : subresource, scope, name);
    }
}
