using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>Rules of the CA rotation check (Test-KubeCertificateRotation).</summary>
public static class RotationRules
{
    public const string Category = "Certificates";
    public const string IssuedByOldCa = "KSEC-ROT-001";
    public const string IssuedBeforeRotation = "KSEC-ROT-002";
    public const string NewCaNotTrusted = "KSEC-ROT-003";

    private const string Rotation = "https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/";

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        new SecurityRule(IssuedByOldCa, "Certificate still issued by the old CA", Severity.High, Category,
            "During a CA rotation this certificate is still signed by the CA being replaced. Once the old CA is removed from trust bundles, everything presenting this certificate stops being trusted.",
            "Reissue the certificate from the new CA (kubeadm certs renew, cert-manager issuer switch, or your CA) before removing the old CA.",
            new[] { Rotation }),
        new SecurityRule(IssuedBeforeRotation, "Certificate issued before the rotation", Severity.Medium, Category,
            "The certificate's NotBefore is earlier than the rotation time, so it was not re-issued as part of the rotation.",
            "Reissue the certificate so every certificate in use postdates the rotation.",
            new[] { Rotation }),
        new SecurityRule(NewCaNotTrusted, "Trust store does not trust the new CA", Severity.High, Category,
            "A CA bundle, caBundle or kubeconfig certificate-authority does not contain the new CA. Clients using it will reject certificates re-issued by the new CA.",
            "Add the new CA to this trust store (keep the old one until every certificate is re-issued).",
            new[] { Rotation }),
    };
}
