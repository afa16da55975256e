using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// The identity each workload runs with: its service account, whether its pods carry the token,
/// what the account may do summarised into a risk level, the chain to cluster-admin when there is
/// one, and the pods and nodes where compromising a container yields it.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeWorkloadIdentity", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeWorkloadIdentity.md")]
[OutputType(typeof(WorkloadIdentity))]
public sealed class GetKubeWorkloadIdentityCommand : RbacCmdletBase
{
    /// <summary>Only workloads whose name matches (wildcards; Kind/name or name).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.WorkloadCompleter))]
    public string[]? Workload { get; set; }

    /// <summary>Only workloads whose risk (what compromising a container yields) is at least this.</summary>
    [Parameter]
    public IdentityRisk MinimumRisk { get; set; } = IdentityRisk.None;

    protected override IReadOnlyList<string>? RequiredKinds => base.RequiredKinds!.Append("Secret").ToList();

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        RbacPolicy policy = BuildPolicy(snapshot);
        List<WorkloadIdentity> identities = RunEngine((reporter, token) =>
        {
            return Task.FromResult(WorkloadIdentityAnalyzer.Describe(snapshot, policy,
                () => RbacEscalationGraph.Build(policy, EscalationTarget.Parse(null, null), reporter, token), token));
        });

        var patterns = (Workload ?? Array.Empty<string>()).Select(w => new WildcardPattern(w, WildcardOptions.IgnoreCase)).ToList();
        List<WorkloadIdentity> selected = identities
            .Where(i => i.Risk >= MinimumRisk)
            .Where(i => patterns.Count == 0 || patterns.Any(p => p.IsMatch(i.Name) || p.IsMatch($"{i.Kind}/{i.Name}") || p.IsMatch($"{i.Kind}/{i.Namespace}/{i.Name}")))
            .OrderByDescending(i => i.Risk).ThenByDescending(i => i.PermissionRisk).ThenBy(i => i.EscalationSteps ?? int.MaxValue).ThenBy(i => i.Workload.ToString(), StringComparer.Ordinal)
            .ToList();
        WriteVerbose($"{identities.Count} workload(s) weighed; {identities.Count(i => i.Risk == IdentityRisk.Critical)} run as an identity that is or becomes cluster-admin with its token mounted; {selected.Count} selected.");
        WriteObject(selected, enumerateCollection: true);
    }
}
