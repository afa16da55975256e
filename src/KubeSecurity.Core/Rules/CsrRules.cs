using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>Rules of CertificateSigningRequest review.</summary>
public static class CsrRules
{
    public const string Category = "Certificates";
    public const string MastersRequested = "KSEC-CSR-001";
    public const string PrivilegedClientIdentity = "KSEC-CSR-002";
    public const string PendingTooLong = "KSEC-CSR-003";
    public const string ApprovedWeakKey = "KSEC-CSR-004";

    private const string CsrDocs = "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/";

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        new SecurityRule(MastersRequested, "Certificate request asks for system:masters", Severity.Critical, Category,
            "The PKCS#10 request carries O=system:masters. A certificate issued for it makes its holder cluster-admin beyond any RBAC control, and it cannot be revoked.",
            "Deny the request (kubectl certificate deny NAME) and find out who filed it; grant what the requester needs through RBAC instead.",
            new[] { CsrDocs, "CIS Kubernetes Benchmark 5.1.1" }),
        new SecurityRule(PrivilegedClientIdentity, "Client certificate requested for a privileged identity", Severity.High, Category,
            "A request to the kubernetes.io/kube-apiserver-client signer asks for a client certificate as a system identity (CN=system:... or a system: group). Approving it hands out that identity with no way to revoke it.",
            "Deny the request unless it comes from the component that owns the identity; issue component certificates through their own signers and tooling.",
            new[] { CsrDocs }),
        new SecurityRule(PendingTooLong, "Certificate request pending for more than a day", Severity.Low, Category,
            "The request has been neither approved nor denied for over a day. Stale requests are easy to approve by mistake in a later batch approval.",
            "Approve or deny it; delete requests nobody owns.",
            new[] { CsrDocs }),
        new SecurityRule(ApprovedWeakKey, "Approved certificate request with a weak key", Severity.High, Category,
            "An approved request asks for a certificate on an RSA key under 2048 bits or an EC key under 256 bits.",
            "Revoke trust in the issued certificate where possible (rotate the signer if needed) and have the requester generate a stronger key.",
            new[] { CsrDocs, "NIST SP 800-131A" }),
    };
}
