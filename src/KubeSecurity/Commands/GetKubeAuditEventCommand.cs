using System.Management.Automation;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Reads Kubernetes audit logs (JSON lines, gzip too) as filterable event objects.</summary>
[Cmdlet(VerbsCommon.Get, "KubeAuditEvent", HelpUri = HelpLinks.Base + "Get-KubeAuditEvent.md")]
[OutputType(typeof(AuditEvent))]
public sealed class GetKubeAuditEventCommand : AuditLogCmdletBase
{
    /// <summary>Only events of these users (the effective user; wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? User { get; set; }

    [Parameter]
    public string[]? Verb { get; set; }

    /// <summary>Only these resources (pods, secrets, pods/exec).</summary>
    [Parameter]
    public string[]? Resource { get; set; }

    [Parameter]
    public string[]? Namespace { get; set; }

    [Parameter]
    public DateTimeOffset? Since { get; set; }

    [Parameter]
    public DateTimeOffset? Until { get; set; }

    /// <summary>Every stage logged, not only one event per request.</summary>
    [Parameter]
    public SwitchParameter AllStages { get; set; }

    protected override void ProcessRecord()
    {
        var users = (User ?? Array.Empty<string>()).Select(u => new WildcardPattern(u, WildcardOptions.IgnoreCase)).ToList();
        foreach (AuditEvent e in ReadEvents(AllStages))
        {
            string resource = e.Subresource is null ? e.Resource ?? string.Empty : $"{e.Resource}/{e.Subresource}";
            if ((users.Count == 0 || users.Any(p => p.IsMatch(e.EffectiveUser ?? string.Empty)))
                && (Verb is null || Verb.Contains(e.Verb, StringComparer.OrdinalIgnoreCase))
                && (Resource is null || Resource.Contains(resource, StringComparer.OrdinalIgnoreCase) || Resource.Contains(e.Resource ?? string.Empty, StringComparer.OrdinalIgnoreCase))
                && (Namespace is null || Namespace.Contains(e.Namespace ?? string.Empty, StringComparer.Ordinal))
                && (Since is null || e.Timestamp >= Since) && (Until is null || e.Timestamp <= Until))
            {
                WriteObject(e);
            }
        }
    }
}
