using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Who can read each secret (get, list, watch), through which binding; filter by secret or by subject.</summary>
[Cmdlet(VerbsCommon.Get, "KubeSecretAccess", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeSecretAccess.md")]
[OutputType(typeof(SecretAccess))]
public sealed class GetKubeSecretAccessCommand : SecretCmdletBase
{
    /// <summary>Only these secrets (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only these subjects (wildcards allowed, matched against User:NAME, Group:NAME, ServiceAccount:NS/NAME).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.SubjectCompleter))]
    public string[]? Subject { get; set; }

    /// <summary>Also list the API server's own defaults and system:masters.</summary>
    [Parameter]
    public SwitchParameter IncludeSystemDefaults { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds => RbacKinds.Append("Secret").ToList();

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        RbacPolicy policy = BuildPolicy(snapshot);
        var names = (Name ?? Array.Empty<string>()).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        var subjects = (Subject ?? Array.Empty<string>()).Select(s => new WildcardPattern(s, WildcardOptions.IgnoreCase)).ToList();
        IEnumerable<KubeObject> secrets = snapshot.OfKind("Secret").Where(s => names.Count == 0 || names.Any(p => p.IsMatch(s.Name)));
        var defaults = policy.Bindings.Where(b => b.IsSystemDefault).Select(b => b.Ref).ToHashSet();
        IEnumerable<SecretAccess> rows = SecretAccessResolver.Resolve(policy, secrets)
            .Where(r => IncludeSystemDefaults || (r.Binding is not null && !defaults.Contains(r.Binding)))
            .Where(r => subjects.Count == 0 || subjects.Any(p => p.IsMatch(r.Subject.ToString())));
        WriteObject(rows.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Secret, StringComparer.Ordinal).ThenBy(r => r.Subject.ToString(), StringComparer.Ordinal), enumerateCollection: true);
    }
}
