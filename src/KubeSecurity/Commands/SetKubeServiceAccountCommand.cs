using System.Management.Automation;
using KubeSecurity.Core.Live;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Sets automountServiceAccountToken on service accounts (every namespace's default one, by
/// default) on the live cluster, returning the previous object; or, with -AsManifest, emits the
/// patched objects for a GitOps repository.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KubeServiceAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Set-KubeServiceAccount.md")]
[OutputType(typeof(ApplyResult), typeof(KubeObject))]
public sealed class SetKubeServiceAccountCommand : LiveChangeCmdletBase
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "default";

    [Parameter(Mandatory = true)]
    public bool AutomountServiceAccountToken { get; set; }

    /// <summary>Change nothing: emit the patched service accounts for Export-KubeManifest.</summary>
    [Parameter]
    public SwitchParameter AsManifest { get; set; }

    /// <summary>With -AsManifest: the snapshot to take the service accounts from (a minimal object is written for an implicit default one).</summary>
    [Parameter]
    public KubeSnapshot? Snapshot { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string ns in Namespace!)
        {
            string target = $"ServiceAccount/{ns}/{Name}";
            if (AsManifest)
            {
                KubeObject? account = Snapshot?.OfKind("ServiceAccount").FirstOrDefault(a => a.Namespace == ns && a.Name == Name);
                WriteObject(SecretRemediation.WithAutomount(account, ns, Name, AutomountServiceAccountToken));
                continue;
            }

            try
            {
                if (!ShouldProcess($"{target} on {ClusterName}", $"Set automountServiceAccountToken to {AutomountServiceAccountToken}"))
                {
                    continue;
                }

                KubeObject current = RunEngine((_, token) => ObjectRemover.GetAsync(Connection, "ServiceAccount", ns, Name, token));
                KubeObject desired = SecretRemediation.WithAutomount(current, ns, Name, AutomountServiceAccountToken);
                ApplyResult result = RunEngine((_, token) => ObjectApplier.ApplyAsync(Connection, desired, token, unchangedWhenEqual: "automountServiceAccountToken"));
                WriteVerbose($"{result.Action} {target}.");
                WriteObject(result);
            }
            catch (KubeApiException ex)
            {
                if (!WhatIfWithoutCluster(ex, target, $"Set automountServiceAccountToken to {AutomountServiceAccountToken}"))
                {
                    WriteError(ApiError(ex, target));
                }
            }
        }
    }
}
