using System.Management.Automation;
using KubeSecurity.Core.Rbac;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// The RBAC cmdlets that ask about one request (who can, can I): its parameters, in kubectl's
/// spellings (pods/exec, deployments.apps), and their translation into an authorizer request.
/// </summary>
public abstract class RbacRequestCmdletBase : RbacCmdletBase
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.RbacVocabularyCompleter))]
    public string? Verb { get; set; }

    /// <summary>The resource: <c>secrets</c>, <c>pods/exec</c>, <c>deployments.apps</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.RbacVocabularyCompleter))]
    public string? Resource { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subresource { get; set; }

    /// <summary>The API group; "" (the default) is the core group.</summary>
    [Parameter]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(Completers.RbacVocabularyCompleter))]
    public string? ApiGroup { get; set; }

    /// <summary>The object name, for rules restricted by resourceNames.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>A non-resource URL such as <c>/metrics</c> or <c>/healthz</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NonResourceUrl { get; set; }

    protected override void BeginProcessing()
    {
        if (Resource is null && NonResourceUrl is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give -Resource (for example secrets or pods/exec), or -NonResourceUrl."), ErrorIds.InvalidRbacTarget, ErrorCategory.InvalidArgument, null));
        }
    }

    /// <summary>The namespaces to ask in: each one given, or none (null) for any namespace or cluster scope.</summary>
    protected IEnumerable<string?> RequestNamespaces => Namespace is { Length: > 0 } ? Namespace : new string?[] { null };

    /// <summary>The request in one namespace (ignored for cluster-scoped resources), accepting resource/subresource and resource.group.</summary>
    internal RbacRequest BuildRequest(string? ns)
    {
        if (NonResourceUrl is not null)
        {
            return RbacRequest.ForUrl(Verb!, NonResourceUrl);
        }

        string text = Resource!;
        string? subresource = Subresource;
        string? apiGroup = ApiGroup;
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
        return new RbacRequest(Verb!, apiGroup ?? string.Empty, text, string.IsNullOrEmpty(subresource) ? null : subresource, scope, Name);
    }
}
