using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// The secret cmdlets read every kind (consumers are workloads, ingresses and service accounts;
/// access comes from RBAC) and say when values were redacted, so content checks are known to be skipped.
/// </summary>
public abstract class SecretCmdletBase : RbacCmdletBase
{
    protected override IReadOnlyList<string>? RequiredKinds => null;

    internal void WarnRedacted(KubeSnapshot snapshot, int redactedValues, string what)
    {
        if (redactedValues > 0 || snapshot.SecretValuesRedacted)
        {
            WriteWarning($"The snapshot's secret values are redacted{(redactedValues > 0 ? $" ({redactedValues} value(s))" : string.Empty)}: {what} were skipped for them. Use Get-KubeSnapshot on the live cluster, or a snapshot exported with -IncludeSecretValues, to include them.");
        }
    }
}
