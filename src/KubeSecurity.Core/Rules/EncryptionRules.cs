using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>Rules of encryption-at-rest configuration (the API server's EncryptionConfiguration file).</summary>
public static class EncryptionRules
{
    public const string Category = "Secrets";
    public const string SecretsNotEncrypted = "KSEC-ENC-001";
    public const string IdentityFirst = "KSEC-ENC-002";
    public const string WeakProvider = "KSEC-ENC-003";
    public const string KeyProblem = "KSEC-ENC-004";
    public const string KmsSettings = "KSEC-ENC-005";

    private const string Docs = "https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/";

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        new SecurityRule(SecretsNotEncrypted, "Secrets are not encrypted at rest", Severity.High, Category,
            "No resources entry of the EncryptionConfiguration covers secrets, so the API server stores them in etcd as plain base64: anyone with etcd or backup access reads every secret.",
            "Add secrets to a resources entry whose first provider is kms (v2), secretbox or aesgcm, restart the API servers, then rewrite all secrets (kubectl get secrets -A -o json | kubectl replace -f -).",
            new[] { Docs, "CIS Kubernetes Benchmark 1.2.27" }),
        new SecurityRule(IdentityFirst, "identity is the first provider for secrets", Severity.Critical, Category,
            "The first provider writes: with identity first, every new or updated secret is stored unencrypted, whatever providers follow.",
            "Put the encrypting provider first and keep identity last (only to read data written before encryption was enabled).",
            new[] { Docs, "CIS Kubernetes Benchmark 1.2.27" }),
        new SecurityRule(WeakProvider, "Weak or deprecated encryption provider", Severity.Medium, Category,
            "The provider that writes is aescbc (CBC without authentication, vulnerable to padding-oracle attacks and not recommended), KMS v1 (deprecated since Kubernetes 1.28), or aesgcm (safe only with key rotation before about 200,000 writes per key).",
            "Prefer KMS v2 with an external key manager, or secretbox; with aesgcm, rotate keys on a schedule.",
            new[] { Docs, "CIS Kubernetes Benchmark 1.2.28" }),
        new SecurityRule(KeyProblem, "Encryption key that is invalid, reused or due for rotation", Severity.High, Category,
            "A key's secret is not base64, has the wrong length for its provider (aescbc/aesgcm: 16, 24 or 32 bytes; secretbox: 32), or the same key material appears more than once; or several keys suggest an unfinished rotation.",
            "Generate a fresh random key of the right length (head -c 32 /dev/urandom | base64), finish rotations by rewriting secrets and removing old keys.",
            new[] { Docs }),
        new SecurityRule(KmsSettings, "KMS provider settings to review", Severity.Medium, Category,
            "A kms provider uses apiVersion v1 (or none, meaning v1), an endpoint that is not a local unix socket, or an unusually long timeout.",
            "Use apiVersion: v2 and a unix:// endpoint on the control-plane host; keep the timeout at a few seconds.",
            new[] { Docs, "https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/" }),
    };
}
