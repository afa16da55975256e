using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>Rules of the certificate area (Test-KubeCertificate).</summary>
public static class CertificateRules
{
    public const string Category = "Certificates";
    public const string Expired = "KSEC-CERT-001";
    public const string ExpiresSoon = "KSEC-CERT-002";
    public const string NotYetValid = "KSEC-CERT-003";
    public const string WeakKey = "KSEC-CERT-004";
    public const string WeakSignature = "KSEC-CERT-005";
    public const string NoSubjectAlternativeName = "KSEC-CERT-006";
    public const string KeyMismatch = "KSEC-CERT-007";
    public const string SignatureInvalid = "KSEC-CERT-008";
    public const string IssuerExpiresFirst = "KSEC-CERT-009";
    public const string IngressValidityTooLong = "KSEC-CERT-010";
    public const string IngressSelfSigned = "KSEC-CERT-011";
    public const string DuplicateSerial = "KSEC-CERT-012";
    public const string KubeconfigClientCertificate = "KSEC-CERT-013";
    public const string IngressSecretMissing = "KSEC-CERT-014";
    public const string IngressHostNotCovered = "KSEC-CERT-015";
    public const string WebhookCaBundleMismatch = "KSEC-CERT-016";
    public const string NotFromTrustedCa = "KSEC-CERT-017";

    private const string CertDocs = "https://kubernetes.io/docs/setup/best-practices/certificates/";
    private const string KubeadmCerts = "https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/";
    private const string IngressTls = "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls";

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        new SecurityRule(Expired, "Certificate has expired", Severity.Critical, Category,
            "The certificate's NotAfter is in the past. TLS clients refuse it, so whatever depends on it (an Ingress host, a webhook, a client identity) is already failing or is being used with verification turned off.",
            "Issue a new certificate (cert-manager, kubeadm certs renew, or your CA) and replace it where it is used; then find out why renewal did not happen in time.",
            new[] { KubeadmCerts, CertDocs }),
        new SecurityRule(ExpiresSoon, "Certificate expires soon", Severity.High, Category,
            "The certificate expires within the warning window (30 days by default; Critical inside 7 days).",
            "Renew it now and check that automated renewal (cert-manager, kubelet rotation, kubeadm) is working for it.",
            new[] { KubeadmCerts }),
        new SecurityRule(NotYetValid, "Certificate is not yet valid", Severity.Medium, Category,
            "The certificate's NotBefore is in the future: clients refuse it until then. Usually a clock problem on the issuer or a certificate deployed too early.",
            "Check the issuing system's clock; deploy the certificate only once it is valid, or reissue it with a correct validity period.",
            new[] { CertDocs }),
        new SecurityRule(WeakKey, "Certificate key is too weak", Severity.High, Category,
            "The certificate's key is RSA or DSA below 2048 bits, or an elliptic-curve key below 256 bits; such keys can be broken or are rejected by current clients.",
            "Reissue the certificate with RSA 2048 (or larger) or ECDSA P-256/P-384.",
            new[] { "NIST SP 800-57 Part 1", "NIST SP 800-131A" }),
        new SecurityRule(WeakSignature, "Certificate signed with SHA-1 or MD5", Severity.High, Category,
            "The issuer signed the certificate with SHA-1 or MD5, for which collisions are practical; forged certificates with the same signature can be made. (Self-signed trust anchors are exempt: their own signature is not relied on.)",
            "Reissue the certificate with a SHA-256 (or stronger) signature.",
            new[] { "NIST SP 800-131A", "CA/Browser Forum Baseline Requirements 7.1.3" }),
        new SecurityRule(NoSubjectAlternativeName, "Server certificate has no subject alternative names", Severity.Medium, Category,
            "A server certificate identifies its host only by the subject CN. Go (and so Kubernetes components) and modern browsers ignore the CN, so clients fail to verify it or verification gets disabled.",
            "Reissue the certificate with the host names (and IPs) in the subjectAltName extension.",
            new[] { "RFC 6125 section 6.4.4", CertDocs }),
        new SecurityRule(KeyMismatch, "TLS secret's private key does not match its certificate", Severity.High, Category,
            "tls.key in a kubernetes.io/tls Secret is not the key of the certificate in tls.crt, so every TLS handshake using the secret fails.",
            "Put the matching key and certificate in the secret together (kubectl create secret tls --cert --key validates them).",
            new[] { "https://kubernetes.io/docs/concepts/configuration/secret/#tls-secrets" }),
        new SecurityRule(SignatureInvalid, "Certificate signature does not verify against its issuer", Severity.High, Category,
            "A CA certificate with the issuer's name was found, but the certificate's signature does not verify with its key: the certificate was tampered with, or was signed by a different CA with the same name (a CA that was replaced without reissuing). Or the signature verifies, but the signer is not a CA (its basicConstraints do not allow it to sign certificates), so TLS clients, the API server among them, reject the chain.",
            "Find the CA that really issued it; reissue the certificate from the CA clients trust.",
            new[] { CertDocs }),
        new SecurityRule(IssuerExpiresFirst, "CA expires before a certificate it signed", Severity.Medium, Category,
            "The issuing CA's certificate expires before this certificate does. From that day the chain stops verifying even though the certificate itself is still valid.",
            "Plan the CA rotation before the CA's expiry, or reissue the certificate to end no later than its CA.",
            new[] { "https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/" }),
        new SecurityRule(IngressValidityTooLong, "Ingress certificate valid for more than 398 days", Severity.Medium, Category,
            "A certificate served to browsers by an Ingress has a validity period over 398 days. Browsers reject such publicly trusted certificates, and long-lived certificates stay useful to an attacker who steals the key.",
            "Issue ingress certificates for at most 398 days (90 days with automated renewal is better).",
            new[] { "CA/Browser Forum Baseline Requirements 6.3.2", IngressTls }),
        new SecurityRule(IngressSelfSigned, "Self-signed certificate served by an Ingress", Severity.Medium, Category,
            "An Ingress serves a self-signed leaf certificate. Clients cannot verify it, which trains users and tools to skip verification.",
            "Serve a certificate from a CA the clients trust (cert-manager with an ACME or internal issuer).",
            new[] { IngressTls }),
        new SecurityRule(DuplicateSerial, "Two certificates share a serial number under one issuer", Severity.High, Category,
            "An issuer must give every certificate a unique serial number; revocation and auditing rely on it. Duplicates point at a misconfigured or compromised CA.",
            "Find the issuing system, fix its serial generation, and reissue the affected certificates.",
            new[] { "RFC 5280 section 4.1.2.2" }),
        new SecurityRule(KubeconfigClientCertificate, "Kubeconfig user authenticates with a client certificate", Severity.Medium, Category,
            "Kubernetes cannot revoke client certificates: a leaked kubeconfig stays valid until the certificate expires. With O=system:masters the holder is cluster-admin beyond any RBAC control (Critical).",
            "Use OIDC or another token-based authenticator for people; keep certificate credentials for break-glass use only, short-lived, and never in system:masters.",
            new[] { "CIS Kubernetes Benchmark 3.1.1", "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates" }),
        new SecurityRule(IngressSecretMissing, "Ingress TLS secret does not exist", Severity.High, Category,
            "An Ingress names a TLS secret that is not in its namespace. The controller serves its default certificate instead, so clients see a name mismatch or connect without the intended certificate.",
            "Create the secret (or fix the name), or let cert-manager create it.",
            new[] { IngressTls }),
        new SecurityRule(IngressHostNotCovered, "Ingress host not covered by its certificate", Severity.High, Category,
            "A host listed in an Ingress tls entry is not among the certificate's DNS names, so clients reject the certificate for that host.",
            "Reissue the certificate with the host in its subjectAltName, or move the host to a tls entry whose certificate covers it.",
            new[] { IngressTls }),
        new SecurityRule(WebhookCaBundleMismatch, "Webhook caBundle does not verify the webhook's serving certificate", Severity.High, Category,
            "The API server checks an admission webhook's serving certificate against the webhook's caBundle. The certificate the webhook's pods serve (the TLS secret they mount) does not chain to that caBundle, so every call fails: requests are rejected (failurePolicy: Fail) or the webhook is silently skipped (failurePolicy: Ignore).",
            "Put the CA that issued the serving certificate into the caBundle (cert-manager's CA injector does this), or reissue the serving certificate from the CA in the caBundle.",
            new[] { "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#contacting-the-webhook" }),
        new SecurityRule(NotFromTrustedCa, "Certificate does not chain to the expected CA", Severity.Medium, Category,
            "Checked against the CA given with -CertificateAuthority: the certificate does not chain to it (directly or through intermediates found alongside it). Clients that trust only that CA reject it.",
            "Reissue the certificate from the expected CA, or add its real issuer to the trust configuration on purpose.",
            new[] { CertDocs }),
    };
}
