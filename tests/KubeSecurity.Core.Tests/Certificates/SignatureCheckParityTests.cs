using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeSecurity.Core.Certificates;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;
using X509CertificateParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace KubeSecurity.Core.Tests.Certificates;

/// <summary>
/// Signatures checked by the platform (RSA PKCS#1 and ECDSA with SHA-2) and those left to
/// BouncyCastle (RSA-PSS) give the same answers: the issuer's signature verifies, and a CA of the
/// same name with another key does not.
/// </summary>
public class SignatureCheckParityTests
{
    public static TheoryData<string> Schemes() => new() { "rsa-sha256", "rsa-sha384", "rsa-sha512", "ec256-sha256", "ec384-sha384", "ec384-sha512", "rsa-pss-sha256" };

    [Theory]
    [MemberData(nameof(Schemes))]
    public void The_issuer_verifies_and_a_same_named_impostor_does_not(string scheme)
    {
        (X509Certificate2 ca, AsymmetricAlgorithm caKey) = Authority(scheme);
        (X509Certificate2 impostor, AsymmetricAlgorithm impostorKey) = Authority(scheme);
        using (ca)
        using (caKey)
        using (impostor)
        using (impostorKey)
        {
            using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=leaf", leafKey, HashAlgorithmName.SHA256);
            X509SignatureGenerator generator = caKey is RSA rsa
                ? X509SignatureGenerator.CreateForRSA(rsa, scheme.StartsWith("rsa-pss", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1)
                : X509SignatureGenerator.CreateForECDsa((ECDsa)caKey);
            using X509Certificate2 leaf = request.Create(ca.SubjectName, generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), new byte[] { 1, 2, 3 });

            var parser = new X509CertificateParser();
            X509Certificate parsedLeaf = parser.ReadCertificate(leaf.RawData);
            Assert.True(ChainVerifier.SignedBy(parsedLeaf, parser.ReadCertificate(ca.RawData)));
            Assert.False(ChainVerifier.SignedBy(parsedLeaf, parser.ReadCertificate(impostor.RawData)));
        }
    }

    private static (X509Certificate2, AsymmetricAlgorithm) Authority(string scheme)
    {
        HashAlgorithmName hash = scheme.EndsWith("sha512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : scheme.EndsWith("sha384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        AsymmetricAlgorithm key = scheme.StartsWith("rsa", StringComparison.Ordinal) ? RSA.Create(2048)
            : ECDsa.Create(scheme.StartsWith("ec384", StringComparison.Ordinal) ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256);
        CertificateRequest request = key is RSA rsa
            ? new CertificateRequest("CN=parity-ca", rsa, hash, scheme.StartsWith("rsa-pss", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=parity-ca", (ECDsa)key, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2)), key);
    }
}
