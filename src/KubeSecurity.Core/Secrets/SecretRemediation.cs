using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using KubeSecurity.Core.Redaction;

namespace KubeSecurity.Core.Secrets;

/// <summary>The objects secret remediations produce: a redacted copy of a secret, a service account with automount switched off.</summary>
public static class SecretRemediation
{
    /// <summary>The secret with its values replaced by fingerprints (unless values are wanted).</summary>
    public static KubeObject Redacted(KubeObject secret, bool includeValues) =>
        includeValues || SnapshotRedactor.Redact(secret) is not JsonObject redacted
            ? secret
            : KubeObject.Create(JsonDocument.Parse(redacted.ToJsonString()).RootElement, secret.Origin);

    /// <summary>The service account with automountServiceAccountToken set; a minimal one when the snapshot has none (the implicit default).</summary>
    public static KubeObject WithAutomount(KubeObject? account, string ns, string name, bool automount)
    {
        JsonObject node = account is null
            ? new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns } }
            : KubeObjectJson.ToNode(account);
        node["automountServiceAccountToken"] = automount;
        return KubeObject.Create(JsonDocument.Parse(node.ToJsonString()).RootElement, account?.Origin ?? "generated");
    }
}
