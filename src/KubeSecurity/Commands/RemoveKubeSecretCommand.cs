using System.Management.Automation;
using KubeSecurity.Core.Live;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Deletes secrets from the live cluster (by name, or from the pipeline: secrets, findings,
/// inventory rows), refusing one that is still referenced unless -Force. Returns the deleted
/// secret (values redacted unless -IncludeSecretValues) so it can be restored. -AsManifest
/// changes nothing and emits the secrets to remove from a GitOps repository instead.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KubeSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Remove-KubeSecret.md")]
[OutputType(typeof(ApplyResult), typeof(KubeObject))]
public sealed class RemoveKubeSecretCommand : LiveChangeCmdletBase
{
    private readonly Dictionary<string, List<SecretReference>> referencesByNamespace = new(StringComparer.Ordinal);

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Bound from the pipeline: objects of other kinds are refused.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? Kind { get; set; }

    /// <summary>Delete even when pods, workloads, service accounts or ingresses still reference the secret.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Keep the values in the returned backup (they are redacted otherwise).</summary>
    [Parameter]
    public SwitchParameter IncludeSecretValues { get; set; }

    /// <summary>Change nothing: emit the secrets (from -Snapshot) that would be removed, for a GitOps change.</summary>
    [Parameter]
    public SwitchParameter AsManifest { get; set; }

    /// <summary>With -AsManifest: the snapshot holding the secrets and their references.</summary>
    [Parameter]
    public KubeSnapshot? Snapshot { get; set; }

    protected override void ProcessRecord()
    {
        string target = $"Secret/{Namespace}/{Name}";
        if (Kind is not null && Kind != "Secret")
        {
            WriteError(new ErrorRecord(new ArgumentException($"{Kind}/{Namespace}/{Name} is not a Secret."), ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, $"{Kind}/{Namespace}/{Name}"));
            return;
        }

        if (AsManifest)
        {
            EmitManifest(target);
            return;
        }

        try
        {
            KubeObject current = RunEngine((_, token) => ObjectRemover.GetAsync(Connection, "Secret", Namespace!, Name!, token));
            if (!Force && StillReferenced(target, LiveReferences(Namespace!)))
            {
                return;
            }

            if (!ShouldProcess($"{target} on {ClusterName}", "Delete secret"))
            {
                return;
            }

            ApplyResult result = RunEngine((_, token) => ObjectRemover.DeleteAsync(Connection, current, token));
            KubeObject backup = SecretRemediation.Redacted(current, IncludeSecretValues);
            WriteVerbose($"Deleted {target}; the output's Previous property holds it{(IncludeSecretValues ? " with its values" : " with values redacted (use -IncludeSecretValues to keep them)")}.");
            WriteObject(result with { Current = backup, Previous = backup });
        }
        catch (KubeApiException ex)
        {
            if (!WhatIfWithoutCluster(ex, target, "Delete secret (after checking that nothing references it)"))
            {
                WriteError(ApiError(ex, target));
            }
        }
    }

    private void EmitManifest(string target)
    {
        if (Snapshot is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-AsManifest needs -Snapshot: the secrets and their references come from it."), ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, null));
            return;
        }

        KubeObject? secret = Snapshot.OfKind("Secret").FirstOrDefault(s => s.Namespace == Namespace && s.Name == Name);
        if (secret is null)
        {
            WriteError(new ErrorRecord(new ItemNotFoundException($"{target} is not in the snapshot."), ErrorIds.ApiNotFound, ErrorCategory.ObjectNotFound, target));
            return;
        }

        if (!Force && StillReferenced(target, SecretReferences.Find(Snapshot)))
        {
            return;
        }

        WriteVerbose($"{target} would be removed; delete it from the repository (nothing was changed).");
        WriteObject(SecretRemediation.Redacted(secret, IncludeSecretValues));
    }

    private bool StillReferenced(string target, IEnumerable<SecretReference> references)
    {
        List<SecretReference> users = references.Where(r => r.Namespace == Namespace && r.SecretName == Name).ToList();
        if (users.Count == 0)
        {
            return false;
        }

        WriteError(new ErrorRecord(new InvalidOperationException($"{target} is still referenced by {string.Join(", ", users.Select(u => u.ToString()))}; use -Force to delete it anyway."),
            ErrorIds.SecretStillReferenced, ErrorCategory.ResourceBusy, target));
        return true;
    }

    private List<SecretReference> LiveReferences(string ns)
    {
        if (!referencesByNamespace.TryGetValue(ns, out List<SecretReference>? references))
        {
            var options = new LiveSnapshotOptions
            {
                Namespaces = new[] { ns },
                Kinds = new[] { "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ServiceAccount", "Ingress" },
            };
            KubeSnapshot snapshot = SnapshotAcquisition.FromLive(this, SnapshotAcquisition.LiveConnection(this, Kubeconfig, Context, false, SkipTlsVerify), options);
            referencesByNamespace[ns] = references = SecretReferences.Find(snapshot);
        }

        return references;
    }
}
