using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Who can do this (like kubectl-who-can): every subject allowed the request, with the binding and role that allow it.</summary>
[Cmdlet(VerbsCommon.Get, "KubeRbacSubject", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(RbacPermission))]
public sealed class GetKubeRbacSubjectCommand : RbacCmdletBase
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Verb { get; set; }

    /// <summary>The resource: <c>secrets</c>, <c>pods/exec</c>, <c>deployments.apps</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Resource { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subresource { get; set; }

    /// <summary>The API group; "" (the default) is the core group.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? ApiGroup { get; set; }

    /// <summary>The object name, for rules restricted by resourceNames.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>A non-resource URL such as <c>/metrics</c> or <c>/healthz</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NonResourceUrl { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        if (Resource is null && NonResourceUrl is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give -Resource (for example secrets or pods/exec), or -NonResourceUrl."), ErrorIds.InvalidRbacTarget, ErrorCategory.InvalidArgument, null));
        }

        RbacPolicy policy = BuildPolicy(snapshot);
        IEnumerable<string?> namespaces = Namespace is { Length: > 0 } ? Namespace : new string?[] { null };
        foreach (string? ns in namespaces)
        {
            RbacRequest request = RbacRequestParameters.Build(Verb!, Resource, Subresource, ApiGroup, ns, Name, NonResourceUrl);
            List<RbacPermission> rows = policy.WhoCan(request, anyNamespace: ns is null);
            WriteVerbose($"{rows.Select(r => r.Subject).Distinct().Count()} subject(s) may {Verb} {request.CombinedResource}{request.NonResourceUrl} {(ns is null ? "(in any namespace)" : "in " + ns)}.");
            WriteObject(rows.OrderBy(r => r.Via is not null && r.Binding is null).ThenBy(r => r.Subject.ToString(), StringComparer.Ordinal).ThenBy(r => r.Scope, StringComparer.Ordinal), enumerateCollection: true);
        }
    }
}
