namespace KubeSecurity.Model;

/// <summary>Where a CA rotation stands, and whether the old CA can be removed yet.</summary>
public sealed record RotationSummary(
    string NewCertificateAuthority,
    string NewThumbprint,
    IReadOnlyList<string> OldCertificateAuthorities,
    DateTimeOffset? RotatedAt,
    int CertificatesFromOldCa,
    int CertificatesIssuedBeforeRotation,
    int TrustStoresWithoutNewCa,
    int TrustStoresStillTrustingOldCa,
    bool SafeToRemoveOldCa,
    IReadOnlyList<string> Reasons)
{
    public override string ToString() => SafeToRemoveOldCa
        ? $"Safe to remove the old CA: everything is issued by and trusts {NewCertificateAuthority}."
        : $"Not yet safe to remove the old CA: {string.Join("; ", Reasons)}";
}
