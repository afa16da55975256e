using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;
using KubeSecurity.Core.Credentials;

namespace KubeSecurity.Commands;

/// <summary>One joined row per secret: type, keys, readers, consumers, last change, legacy token, leak indicators.</summary>
[Cmdlet(VerbsCommon.Get, "KubeSecretInventory", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeSecretInventory.md")]
[OutputType(typeof(SecretInventoryItem))]
public sealed class GetKubeSecretInventoryCommand : SecretCmdletBase
{
    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        RbacPolicy policy = BuildPolicy(snapshot);
        LeakScanResult leaks = CredentialLeakScanner.Scan(snapshot, new CredentialDetector(), StopToken);
        WriteObject(SecretInventory.Build(snapshot, policy, leaks), enumerateCollection: true);
    }
}
