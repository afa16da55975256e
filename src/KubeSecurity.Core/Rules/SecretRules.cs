using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>Rules of secret audits. Findings name keys and fingerprints, never values.</summary>
public static class SecretRules
{
    public const string Category = "Secrets";
    public const string SecretInEnvironment = "KSEC-SEC-001";
    public const string OrphanSecret = "KSEC-SEC-002";
    public const string MissingSecret = "KSEC-SEC-003";
    public const string StaleSecret = "KSEC-SEC-004";
    public const string LegacyToken = "KSEC-SEC-005";
    public const string UnneededTokenMount = "KSEC-SEC-006";
    public const string BroadSecretAccess = "KSEC-SEC-007";
    public const string RegistryCredentials = "KSEC-SEC-008";
    public const string KeyMaterialInOpaque = "KSEC-SEC-009";
    public const string PersonalInformation = "KSEC-SEC-010";
    public const string CredentialLeak = "KSEC-SEC-011";
    public const string SecretInLastApplied = "KSEC-SEC-012";

    private const string Good = "https://kubernetes.io/docs/concepts/security/secrets-good-practices/";

    private static SecurityRule Rule(string id, string title, Severity severity, string description, string remediation, params string[] references) =>
        new(id, title, severity, Category, description, remediation, references.Append(Good).ToArray());

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        Rule(SecretInEnvironment, "Secret consumed as an environment variable", Severity.Medium,
            "A container reads a secret through env (secretKeyRef) or envFrom. Environment variables leak into crash dumps, debug endpoints, child processes and logs, and cannot be updated without a restart.",
            "Mount the secret as a volume (read-only, with a narrow defaultMode) and read it from the file.",
            "CIS Kubernetes Benchmark 5.4.1"),
        Rule(OrphanSecret, "Secret nothing references", Severity.Low,
            "No pod, workload template, service account or ingress references the secret. Forgotten secrets keep credentials alive that nobody rotates.",
            "Confirm nothing outside the cluster uses it (operators, CI), then delete it (Remove-KubeSecret)."),
        Rule(MissingSecret, "Reference to a secret that does not exist", Severity.Medium,
            "A workload, service account or ingress references a secret missing from its namespace: pods fail to start (or start without the value when optional is not set), and whoever creates a secret with that name decides what they get.",
            "Create the secret, fix the name, or remove the reference."),
        Rule(StaleSecret, "Secret not changed for a long time", Severity.Low,
            "The secret's data has not changed for longer than the allowed age (newest managedFields write of its data, or its creation time when no write is recorded).",
            "Rotate the credential and update the secret; automate rotation with an external secrets operator."),
        Rule(LegacyToken, "Legacy long-lived service account token secret", Severity.Medium,
            "A kubernetes.io/service-account-token secret holds a token that never expires and is not bound to a pod; anyone who reads it acts as the service account until the secret is deleted.",
            "Delete the secret; use projected, short-lived tokens (TokenRequest) instead.",
            "CIS Kubernetes Benchmark 5.1.6"),
        Rule(UnneededTokenMount, "API token mounted without need", Severity.Low,
            "Pods automount a service account token although the service account holds no RBAC grants of its own; the token is a credential an attacker can use against the API server for nothing the workload needs.",
            "Set automountServiceAccountToken: false on the service account (Set-KubeServiceAccount) or the pod spec.",
            "CIS Kubernetes Benchmark 5.1.6"),
        Rule(BroadSecretAccess, "Secrets readable beyond the namespace's own admins", Severity.High,
            "Subjects outside the namespace's own RoleBindings (cluster-wide readers, every authenticated user, every service account) may get, list or watch the namespace's secrets. list and watch reveal the values as get does.",
            "Remove the cluster-wide grant; grant secret access per namespace, and only to the workloads that need it.",
            "CIS Kubernetes Benchmark 5.1.2"),
        Rule(RegistryCredentials, "Registry credentials", Severity.Info,
            "A kubernetes.io/dockerconfigjson (or dockercfg) secret holds pull credentials; the finding lists the registries. Broad pull credentials let whoever reads them pull (and sometimes push) every image of the account.",
            "Use read-only, repository-scoped tokens, or node/workload identity for the registry."),
        Rule(KeyMaterialInOpaque, "Private key or certificate in an Opaque secret", Severity.Low,
            "An Opaque secret holds PEM private keys or certificates (by key name or content). kubernetes.io/tls secrets are validated, understood by tooling, and audited by certificate checks.",
            "Store the certificate and key as a kubernetes.io/tls secret (New-KubeTlsSecret)."),
        Rule(PersonalInformation, "Personal information in metadata", Severity.Low,
            "An object's name, labels or annotations contain an email address or phone number. Metadata is readable by far more subjects than secrets and is copied into logs, events and monitoring.",
            "Move personal data out of metadata; use team aliases or group identifiers.",
            "GDPR Article 5(1)(c) data minimisation"),
        Rule(CredentialLeak, "Credential in plain text", Severity.High,
            "A credential (private key, cloud or SaaS token, password, connection string with a password, or a high-entropy key) is stored outside a Secret: in a ConfigMap, a literal environment variable, a command line or an annotation, where every reader of that object sees it.",
            "Rotate the credential, move it into a Secret mounted as a file, and remove it from the object (and from its history in Git).",
            "CIS Kubernetes Benchmark 5.4.1", "MITRE ATT&CK T1552.007"),
        Rule(SecretInLastApplied, "Secret data in a last-applied-configuration annotation", Severity.High,
            "The kubectl.kubernetes.io/last-applied-configuration annotation of a Secret holds its original data or stringData in plain text, readable by anyone who can read the object's metadata.",
            "Re-create the secret without kubectl apply (or with server-side apply), rotate the values, and remove the annotation."),
    };
}
