using System.Management.Automation;
using KubeSecurity.Core.Live;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Creates or updates NetworkPolicies on the live cluster: idempotent (an identical spec is left
/// alone and reported Unchanged), guarded by ShouldProcess, returning the previous version as a backup.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KubeNetworkPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Set-KubeNetworkPolicy.md")]
[OutputType(typeof(ApplyResult))]
public sealed class SetKubeNetworkPolicyCommand : LiveChangeCmdletBase
{
    /// <summary>NetworkPolicy objects, usually from New-KubeNetworkPolicy.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public KubeObject[]? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KubeObject policy in InputObject!)
        {
            if (policy.Kind != "NetworkPolicy" || policy.ApiGroup != "networking.k8s.io" || policy.Namespace is null)
            {
                WriteError(new ErrorRecord(new ArgumentException($"{policy} is not a namespaced networking.k8s.io NetworkPolicy; apply Calico policies with calicoctl or kubectl."),
                    ErrorIds.UnsupportedPolicyKind, ErrorCategory.InvalidArgument, policy));
                continue;
            }

            try
            {
                if (!ShouldProcess($"NetworkPolicy {policy.Namespace}/{policy.Name} on {ClusterName}", "Create or update"))
                {
                    continue;
                }

                ApplyResult result = RunEngine((_, token) => ObjectApplier.ApplyAsync(Connection, policy, token, unchangedWhenEqual: "spec"));
                WriteVerbose($"{result.Action} NetworkPolicy {policy.Namespace}/{policy.Name}.");
                WriteObject(result);
            }
            catch (KubeApiException ex)
            {
                if (!WhatIfWithoutCluster(ex, $"NetworkPolicy {policy.Namespace}/{policy.Name}", "Create or update"))
                {
                    WriteError(ApiError(ex, policy.ToResourceRef().ToString()));
                }
            }
        }
    }
}
