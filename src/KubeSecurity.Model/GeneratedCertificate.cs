namespace KubeSecurity.Model;

/// <summary>
/// A certificate made by New-KubeCertificate, with its private key. The key is not a property, so
/// no view, Format-List * or export shows it; <see cref="GetPrivateKeyPem"/> hands it out on request.
/// </summary>
public sealed class GeneratedCertificate
{
    private readonly string privateKeyPem;

    public GeneratedCertificate(CertificateInfo certificate, string certificatePem, string privateKeyPem, string? certificatePath = null, string? keyPath = null)
    {
        Certificate = certificate;
        CertificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    public CertificateInfo Certificate { get; }
    public string Subject => Certificate.Subject;
    public DateTimeOffset NotAfter => Certificate.NotAfter;
    public bool IsCertificateAuthority => Certificate.IsCertificateAuthority;
    public string CertificatePem { get; }

    /// <summary>Where the certificate was written, when it was.</summary>
    public string? CertificatePath { get; }

    /// <summary>Where the private key was written (owner-only permissions), when it was.</summary>
    public string? KeyPath { get; }

    /// <summary>The private key as PKCS#8 PEM. Handle it like the secret it is.</summary>
    public string GetPrivateKeyPem() => privateKeyPem;

    public GeneratedCertificate WithPaths(string certificatePath, string keyPath) => new(Certificate, CertificatePem, privateKeyPem, certificatePath, keyPath);

    public override string ToString() => $"{Subject} (until {NotAfter:yyyy-MM-dd})";
}
