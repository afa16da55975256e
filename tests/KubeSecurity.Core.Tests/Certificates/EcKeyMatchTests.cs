using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeSecurity.Core.Certificates;

namespace KubeSecurity.Core.Tests.Certificates;

/// <summary>EC private keys are matched by the public point derived from the private scalar, never by a public key the file claims.</summary>
public class EcKeyMatchTests
{
    private static (string CertificatePem, ECDsa Key) SelfSigned(ECCurve curve)
    {
        ECDsa key = ECDsa.Create(curve);
        var request = new CertificateRequest("CN=ec-test", key, HashAlgorithmName.SHA256);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (certificate.ExportCertificatePem(), key);
    }

    private static KeyMatch Check(string keyPem, string certificatePem) =>
        PrivateKeyMatcher.Check(Encoding.ASCII.GetBytes(keyPem), CertificateReader.Read(Encoding.ASCII.GetBytes(certificatePem)).Certificates[0]);

    public static TheoryData<string> Curves => new() { "P-256", "P-384", "P-521" };

    private static ECCurve Curve(string name) => name switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    [Theory]
    [MemberData(nameof(Curves))]
    public void Sec1_and_pkcs8_keys_match_their_certificate_and_not_another(string curve)
    {
        (string certificate, ECDsa key) = SelfSigned(Curve(curve));
        (string other, ECDsa otherKey) = SelfSigned(Curve(curve));
        using (key)
        using (otherKey)
        {
            Assert.Equal(KeyMatch.Matches, Check(key.ExportECPrivateKeyPem(), certificate));
            Assert.Equal(KeyMatch.Matches, Check(key.ExportPkcs8PrivateKeyPem(), certificate));
            Assert.Equal(KeyMatch.DoesNotMatch, Check(key.ExportECPrivateKeyPem(), other));
            Assert.Equal(KeyMatch.DoesNotMatch, Check(otherKey.ExportPkcs8PrivateKeyPem(), certificate));
        }
    }

    [Fact]
    public void A_key_on_another_curve_does_not_match()
    {
        (string certificate, ECDsa key) = SelfSigned(ECCurve.NamedCurves.nistP256);
        using ECDsa p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        key.Dispose();
        Assert.Equal(KeyMatch.DoesNotMatch, Check(p384.ExportECPrivateKeyPem(), certificate));
    }

    [Fact]
    public void A_key_file_that_claims_the_certificate_s_public_key_beside_another_private_scalar_does_not_match()
    {
        (string certificate, ECDsa key) = SelfSigned(ECCurve.NamedCurves.nistP256);
        using ECDsa impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters real = key.ExportParameters(false);
        byte[] foreignScalar = impostor.ExportParameters(true).D!;

        // SEC1 ECPrivateKey: version 1, the impostor's scalar, prime256v1, and the certificate's public point.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(foreignScalar);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteObjectIdentifier("1.2.840.10045.3.1.7");
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
            {
                writer.WriteBitString(new byte[] { 0x04 }.Concat(real.Q.X!).Concat(real.Q.Y!).ToArray());
            }
        }

        string forged = PemEncoding.WriteString("EC PRIVATE KEY", writer.Encode());
        key.Dispose();
        Assert.Equal(KeyMatch.DoesNotMatch, Check(forged, certificate));
    }

    [Fact]
    public void A_key_on_a_named_curve_outside_the_nist_three_matches_its_certificate_and_not_another()
    {
        ECCurve k1 = ECCurve.CreateFromValue("1.3.132.0.10"); // secp256k1
        (string certificate, ECDsa key) = SelfSigned(k1);
        using ECDsa other = ECDsa.Create(k1);
        using (key)
        {
            Assert.Equal(KeyMatch.Matches, Check(key.ExportECPrivateKeyPem(), certificate));
            Assert.Equal(KeyMatch.DoesNotMatch, Check(other.ExportECPrivateKeyPem(), certificate));
        }
    }

    [Fact]
    public void A_key_with_explicit_curve_parameters_is_derived_without_a_curve_name_and_still_decides()
    {
        // No curve OID: the platform cannot be asked by name, so the point is derived the other way.
        (string certificate, ECDsa key) = SelfSigned(ECCurve.NamedCurves.nistP256);
        using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa explicitKey = ECDsa.Create(key.ExportExplicitParameters(true));
        using ECDsa explicitOther = ECDsa.Create(other.ExportExplicitParameters(true));
        key.Dispose();
        string pem = explicitKey.ExportECPrivateKeyPem();
        Assert.DoesNotContain("BggqhkjOPQMBBw", pem, StringComparison.Ordinal); // not the prime256v1 OID
        Assert.Equal(KeyMatch.Matches, Check(pem, certificate));
        Assert.Equal(KeyMatch.DoesNotMatch, Check(explicitOther.ExportECPrivateKeyPem(), certificate));
    }

    [Theory]
    [InlineData("00", "P-256")]
    [InlineData("FF", "P-256")]
    [InlineData("00", "P-384")]
    [InlineData("FF", "P-384")]
    public void A_scalar_outside_the_curve_order_is_a_key_that_does_not_match_not_a_crash(string fill, string curve)
    {
        // Zero, and all ones (above the curve's order): keys no library would produce, but a secret can hold anything.
        (string certificate, ECDsa key) = SelfSigned(Curve(curve));
        int size = curve == "P-256" ? 32 : 48;
        key.Dispose();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(Enumerable.Repeat(Convert.ToByte(fill, 16), size).ToArray());
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteObjectIdentifier(curve == "P-256" ? "1.2.840.10045.3.1.7" : "1.3.132.0.34");
            }
        }

        KeyMatch verdict = Check(PemEncoding.WriteString("EC PRIVATE KEY", writer.Encode()), certificate);
        Assert.NotEqual(KeyMatch.Matches, verdict);
    }
}
