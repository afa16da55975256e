using System.Net;
using System.Text;
using KubeSecurity.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace KubeSecurity.Core.Certificates;

public enum GeneratedKeyType
{
    Rsa,
    Ecdsa,
}

public enum CertificateUsage
{
    Server,
    Client,
    ServerAndClient,
}

/// <summary>What to generate.</summary>
public sealed record CertificateRequestOptions
{
    public required string Subject { get; init; }
    public bool IsCertificateAuthority { get; init; }
    public int? PathLength { get; init; }
    public GeneratedKeyType KeyType { get; init; } = GeneratedKeyType.Ecdsa;

    /// <summary>RSA: 2048, 3072 or 4096. ECDSA: 256 (P-256) or 384 (P-384).</summary>
    public int KeySize { get; init; } = 256;
    public IReadOnlyList<string> DnsNames { get; init; } = Array.Empty<string>();
    public IReadOnlyList<IPAddress> IPAddresses { get; init; } = Array.Empty<IPAddress>();
    public CertificateUsage Usage { get; init; } = CertificateUsage.Server;
    public int ValidDays { get; init; } = 365;
    public DateTimeOffset NotBefore { get; init; } = DateTimeOffset.UtcNow.AddMinutes(-5);
}

/// <summary>Issuer material: a CA certificate and its private key, as PEM.</summary>
public sealed record IssuerMaterial(string CertificatePem, string PrivateKeyPem);

/// <summary>Makes CA, intermediate and leaf certificates with BouncyCastle.</summary>
public static class CertificateGenerator
{
    private static readonly SecureRandom Random = new();

    /// <exception cref="ArgumentException">An unsupported key size, a malformed subject, or issuer material that does not fit together.</exception>
    public static GeneratedCertificate Generate(CertificateRequestOptions options, IssuerMaterial? issuer)
    {
        X509Name subject;
        try
        {
            subject = new X509Name(options.Subject.Contains('=', StringComparison.Ordinal) ? options.Subject : "CN=" + options.Subject);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"'{options.Subject}' is not a distinguished name (for example CN=my-ca, O=Platform): {ex.Message}", nameof(options), ex);
        }

        AsymmetricCipherKeyPair keys = NewKeyPair(options);
        (X509Certificate? issuerCertificate, AsymmetricKeyParameter signingKey) = issuer is null ? (null, keys.Private) : LoadIssuer(issuer);
        if (issuerCertificate is not null && issuerCertificate.GetBasicConstraints() < 0)
        {
            throw new ArgumentException($"The issuer '{CertificateDescriber.FormatName(issuerCertificate.SubjectDN)}' is not a CA certificate.", nameof(issuer));
        }

        DateTime notBefore = options.NotBefore.UtcDateTime;
        DateTime notAfter = options.NotBefore.AddDays(options.ValidDays).UtcDateTime;
        if (issuerCertificate is not null && notAfter > issuerCertificate.NotAfter)
        {
            throw new ArgumentException($"The certificate would outlive its issuer (issuer expires {issuerCertificate.NotAfter:yyyy-MM-dd}); shorten -ValidDays.", nameof(options));
        }

        var generator = new X509V3CertificateGenerator();
        byte[] serial = new byte[16];
        Random.NextBytes(serial);
        serial[0] &= 0x7f;
        generator.SetSerialNumber(new BigInteger(1, serial));
        generator.SetSubjectDN(subject);
        generator.SetIssuerDN(issuerCertificate?.SubjectDN ?? subject);
        generator.SetNotBefore(notBefore);
        generator.SetNotAfter(notAfter);
        generator.SetPublicKey(keys.Public);
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(keys.Public));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false,
            X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuerCertificate?.GetPublicKey() ?? keys.Public));
        if (options.IsCertificateAuthority)
        {
            generator.AddExtension(X509Extensions.BasicConstraints, true, options.PathLength is int length ? new BasicConstraints(length) : new BasicConstraints(true));
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature));
        }
        else
        {
            generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            int usage = KeyUsage.DigitalSignature | (options.KeyType == GeneratedKeyType.Rsa ? KeyUsage.KeyEncipherment : 0);
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(options.Usage switch
            {
                CertificateUsage.Client => new[] { KeyPurposeID.id_kp_clientAuth },
                CertificateUsage.ServerAndClient => new[] { KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth },
                _ => new[] { KeyPurposeID.id_kp_serverAuth },
            }));
        }

        var names = options.DnsNames.Select(d => new GeneralName(GeneralName.DnsName, d))
            .Concat(options.IPAddresses.Select(ip => new GeneralName(GeneralName.IPAddress, new DerOctetString(ip.GetAddressBytes()))))
            .ToArray();
        if (names.Length > 0)
        {
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names));
        }

        string algorithm = signingKey switch
        {
            RsaKeyParameters => "SHA256WITHRSA",
            ECPrivateKeyParameters { Parameters.Curve.FieldSize: > 256 } => "SHA384WITHECDSA",
            ECPrivateKeyParameters => "SHA256WITHECDSA",
            _ => throw new ArgumentException("The issuer's key type is not supported for signing.", nameof(issuer)),
        };
        X509Certificate certificate = generator.Generate(new Asn1SignatureFactory(algorithm, signingKey, Random));
        string certificatePem = ToPem(certificate);
        CertificateInfo info = CertificateDescriber.Describe(certificate, "generated", CertificateSourceKind.Generated, null, null, DateTimeOffset.UtcNow)
            .WithChainStatus(issuerCertificate is null ? CertificateChainStatus.SelfSigned : CertificateChainStatus.Verified, issuerCertificate is null ? null : CertificateDescriber.FormatName(issuerCertificate.SubjectDN));
        return new GeneratedCertificate(info, certificatePem, PrivateKeyPem(keys.Private));
    }

    private static AsymmetricCipherKeyPair NewKeyPair(CertificateRequestOptions options)
    {
        if (options.KeyType == GeneratedKeyType.Rsa)
        {
            if (options.KeySize is not (2048 or 3072 or 4096))
            {
                throw new ArgumentException($"RSA keys can be 2048, 3072 or 4096 bits, not {options.KeySize}.", nameof(options));
            }

            var rsa = new RsaKeyPairGenerator();
            rsa.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, options.KeySize, 100));
            return rsa.GenerateKeyPair();
        }

        string curve = options.KeySize switch
        {
            256 => "P-256",
            384 => "P-384",
            _ => throw new ArgumentException($"ECDSA keys can be 256 (P-256) or 384 (P-384) bits, not {options.KeySize}.", nameof(options)),
        };
        var ec = new ECKeyPairGenerator();
        ec.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Nist.NistNamedCurves.GetOid(curve), Random));
        return ec.GenerateKeyPair();
    }

    private static (X509Certificate, AsymmetricKeyParameter) LoadIssuer(IssuerMaterial issuer)
    {
        X509Certificate certificate = CertificateReader.Read(Encoding.ASCII.GetBytes(issuer.CertificatePem)).Certificates.FirstOrDefault()
            ?? throw new ArgumentException("The issuer certificate could not be read.", nameof(issuer));
        if (PrivateKeyMatcher.Check(Encoding.ASCII.GetBytes(issuer.PrivateKeyPem), certificate) != KeyMatch.Matches)
        {
            throw new ArgumentException("The issuer key is unreadable, encrypted, or is not the key of the issuer certificate.", nameof(issuer));
        }

        object parsed = new PemReader(new StringReader(issuer.PrivateKeyPem)).ReadObject();
        AsymmetricKeyParameter key = parsed is AsymmetricCipherKeyPair pair ? pair.Private : (AsymmetricKeyParameter)parsed;
        return (certificate, key);
    }

    private static string ToPem(object value)
    {
        using var writer = new StringWriter();
        var pem = new PemWriter(writer);
        pem.WriteObject(value);
        pem.Writer.Flush();
        return writer.ToString();
    }

    private static string PrivateKeyPem(AsymmetricKeyParameter key)
    {
        PrivateKeyInfo info = PrivateKeyInfoFactory.CreatePrivateKeyInfo(key);
        string body = Convert.ToBase64String(info.GetEncoded(), Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal);
        return $"-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n";
    }
}
