using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>
/// The rules whose findings are graded away from the catalog's default severity, with the range and
/// the reason, so Get-KubeSecurityRule states what a finding can carry. A test audits every fixture
/// and the demo cluster and checks each finding's severity lies in its rule's range.
/// </summary>
internal static class SeverityRanges
{
    private const string NamespaceScoped = "One step lower when a RoleBinding grants it in a single namespace instead of cluster-wide; one step lower again on a role no binding uses yet (it would grant it).";

    private const string Unbound = "One step lower on a ClusterRole no binding uses yet (it would grant it), two steps on such a Role.";

    private static readonly Dictionary<string, (Severity Minimum, Severity Maximum, string Note)> ById = new(StringComparer.Ordinal)
    {
        [RbacRules.ClusterAdminBound] = (Severity.Medium, Severity.Critical, NamespaceScoped),
        [RbacRules.WildcardRule] = (Severity.Low, Severity.Medium, NamespaceScoped),
        [RbacRules.SecretRead] = (Severity.Low, Severity.High, NamespaceScoped),
        [RbacRules.PodExec] = (Severity.Low, Severity.High, NamespaceScoped),
        [RbacRules.WorkloadCreate] = (Severity.Low, Severity.Medium, NamespaceScoped),
        [RbacRules.EscalateOrBind] = (Severity.Low, Severity.High, NamespaceScoped),
        [RbacRules.Impersonate] = (Severity.Low, Severity.High, NamespaceScoped),
        [RbacRules.TokenCreate] = (Severity.Low, Severity.High, NamespaceScoped),
        [RbacRules.NodeProxy] = (Severity.Medium, Severity.High, Unbound),
        [RbacRules.CsrApproval] = (Severity.Medium, Severity.High, Unbound),
        [RbacRules.WebhookWrite] = (Severity.Medium, Severity.High, Unbound),
        [RbacRules.PersistentVolumeCreate] = (Severity.Low, Severity.Medium, Unbound),
        [RbacRules.CriticalDelete] = (Severity.Medium, Severity.High, Unbound),
        [RbacRules.KubeSystemConfigMapWrite] = (Severity.Low, Severity.High, NamespaceScoped),
        [RbacRules.EphemeralContainers] = (Severity.Low, Severity.High, NamespaceScoped),
        [RbacRules.NodeStatusWrite] = (Severity.Low, Severity.Medium, Unbound),
        [RbacRules.WorkloadIdentityAdmin] = (Severity.High, Severity.Critical, "Critical when the service account holds full control itself; High when it needs a chain of moves to get there."),
        [RbacRules.AllAuthenticatedBinding] = (Severity.Medium, Severity.High, "Medium when the binding is a RoleBinding in one namespace."),
        [SecretRules.UnneededTokenMount] = (Severity.Info, Severity.Low, "Low for a namespace's default service account (every pod without its own gets the token); Info for other service accounts."),
        [SecretRules.BroadSecretAccess] = (Severity.High, Severity.Critical, "Critical when every authenticated identity (or every service account) can read the namespace's secrets."),
        [SecretRules.CredentialLeak] = (Severity.Medium, Severity.High, "Medium when only the value's randomness (entropy) suggests a credential; High when its format is recognised."),
        [CertificateRules.ExpiresSoon] = (Severity.High, Severity.Critical, "Critical inside the critical window (7 days by default)."),
        [CertificateRules.KubeconfigClientCertificate] = (Severity.Medium, Severity.Critical, "Critical when the certificate is in the system:masters group, which no RBAC change can revoke."),
        [EncryptionRules.WeakProvider] = (Severity.Low, Severity.Medium, "Low for aesgcm, which is safe while keys are rotated often enough; Medium for aescbc and KMS v1."),
        [EncryptionRules.KeyProblem] = (Severity.Info, Severity.High, "High for a key that is not valid base64 or has the wrong length; Medium for key material used twice; Info for a provider listing several keys (a rotation to finish)."),
        [NetworkRules.IngressFromAnywhere] = (Severity.Medium, Severity.High, "High when the rule allows every port as well as every source."),
    };

    public static SecurityRule Apply(SecurityRule rule) =>
        ById.TryGetValue(rule.Id, out var range) ? rule.WithSeverityRange(range.Minimum, range.Maximum, range.Note) : rule;
}
