using System.Net;
using System.Security.Cryptography;
using KubeSecurity.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace KubeSecurity.Core.Certificates;

/// <summary>Turns a parsed certificate into the flat <see cref="CertificateInfo"/>, naming things as openssl does.</summary>
public static class CertificateDescriber
{
    private static readonly Dictionary<string, string> SignatureNames = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
        ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
        ["1.2.840.113549.1.1.14"] = "sha224WithRSAEncryption",
        ["1.2.840.113549.1.1.11"] = "sha256WithRSAEncryption",
        ["1.2.840.113549.1.1.12"] = "sha384WithRSAEncryption",
        ["1.2.840.113549.1.1.13"] = "sha512WithRSAEncryption",
        ["1.2.840.113549.1.1.10"] = "rsassaPss",
        ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
        ["1.2.840.10045.4.3.1"] = "ecdsa-with-SHA224",
        ["1.2.840.10045.4.3.2"] = "ecdsa-with-SHA256",
        ["1.2.840.10045.4.3.3"] = "ecdsa-with-SHA384",
        ["1.2.840.10045.4.3.4"] = "ecdsa-with-SHA512",
        ["1.3.101.112"] = "ED25519",
        ["1.3.101.113"] = "ED448",
        ["1.2.840.10040.4.3"] = "dsa_with_SHA1",
        ["2.16.840.1.101.3.4.3.2"] = "dsa_with_SHA256",
    };

    private static readonly string[] KeyUsageNames =
    {
        "Digital Signature", "Non Repudiation", "Key Encipherment", "Data Encipherment", "Key Agreement",
        "Certificate Sign", "CRL Sign", "Encipher Only", "Decipher Only",
    };

    /// <summary>The OID of the server-authentication extended key usage (id-kp-serverAuth).</summary>
    public const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>How <see cref="CertificateInfo.ExtendedKeyUsage"/> names id-kp-serverAuth (openssl's name), derived from its OID.</summary>
    public static string ServerAuthentication => ExtendedKeyUsageNames[ServerAuthenticationOid];

    private static readonly Dictionary<string, string> ExtendedKeyUsageNames = new(StringComparer.Ordinal)
    {
        [ServerAuthenticationOid] = "TLS Web Server Authentication",
        ["1.3.6.1.5.5.7.3.2"] = "TLS Web Client Authentication",
        ["1.3.6.1.5.5.7.3.3"] = "Code Signing",
        ["1.3.6.1.5.5.7.3.4"] = "E-mail Protection",
        ["1.3.6.1.5.5.7.3.8"] = "Time Stamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSP Signing",
        ["2.5.29.37.0"] = "Any Extended Key Usage",
    };

    public static CertificateInfo Describe(X509Certificate certificate, string source, CertificateSourceKind sourceKind, ResourceRef? resource, string? dataKey, DateTimeOffset asOf)
    {
        byte[] der = certificate.GetEncoded();
        (string algorithm, int? size, string? curve) = DescribeKey(certificate.SubjectPublicKeyInfo);
        int basic = certificate.GetBasicConstraints();
        bool isCa = basic >= 0;
        int? pathLength = isCa && basic != int.MaxValue ? basic : null;
        return new CertificateInfo(
            FormatName(certificate.SubjectDN),
            FormatName(certificate.IssuerDN),
            certificate.SerialNumber.ToString(16).ToUpperInvariant(),
            new DateTimeOffset(DateTime.SpecifyKind(certificate.NotBefore, DateTimeKind.Utc)),
            new DateTimeOffset(DateTime.SpecifyKind(certificate.NotAfter, DateTimeKind.Utc)),
            SubjectAlternativeNames(certificate),
            algorithm,
            size,
            curve,
            SignatureNames.TryGetValue(certificate.SigAlgOid, out string? name) ? name : certificate.SigAlgOid,
            isCa,
            pathLength,
            KeyUsage(certificate),
            ExtendedKeyUsage(certificate),
            KeyIdentifier(certificate, X509Extensions.SubjectKeyIdentifier),
            KeyIdentifier(certificate, X509Extensions.AuthorityKeyIdentifier),
            Convert.ToHexString(SHA256.HashData(der)),
            source,
            sourceKind,
            resource,
            dataKey,
            asOf,
            der);
    }

    /// <summary>"CN=x, O=y" in the order the name is encoded (the order openssl prints).</summary>
    public static string FormatName(X509Name name)
    {
        var oids = name.GetOidList();
        var values = name.GetValueList();
        var parts = new List<string>(oids.Count);
        for (int i = 0; i < oids.Count; i++)
        {
            string label = X509Name.DefaultSymbols.TryGetValue(oids[i], out string? symbol) ? symbol : oids[i].Id;
            parts.Add($"{label}={values[i]}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>RSA or DSA under 2048 bits, or EC under 256 bits.</summary>
    public static bool IsWeakKey(string algorithm, int? size) => algorithm switch
    {
        "RSA" or "DSA" => size < 2048,
        "EC" => size < 256,
        _ => false,
    };

    /// <summary>The organizations (O=) of a name: for client certificates, the Kubernetes groups.</summary>
    public static IReadOnlyList<string> Organizations(X509Name name) =>
        name.GetValueList(X509Name.O).ToList();

    /// <summary>Algorithm, size and curve of a public key, as certificates and requests report them.</summary>
    /// <summary>
    /// Algorithm, size and curve read straight from the SubjectPublicKeyInfo. Building key parameters
    /// would validate an RSA modulus on every certificate (milliseconds each), which describing a key
    /// does not need; keys are built, and validated, only where a signature is checked.
    /// </summary>
    internal static (string Algorithm, int? Size, string? Curve) DescribeKey(SubjectPublicKeyInfo info)
    {
        string oid = info.Algorithm.Algorithm.Id;
        try
        {
            switch (oid)
            {
                case "1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.10":
                    return ("RSA", RsaPublicKeyStructure.GetInstance(info.ParsePublicKey()).Modulus.BitLength, null);
                case "1.3.101.112":
                    return ("Ed25519", 256, null);
                case "1.3.101.113":
                    return ("Ed448", 456, null);
                case "1.2.840.10045.2.1" when info.Algorithm.Parameters is DerObjectIdentifier curve:
                    return ("EC", NamedCurveFieldSize(curve), CurveName(curve));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException)
        {
            // A malformed key: describe it the general way below, which reports what it can.
        }

        return DescribeKey(Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(info));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int?> FieldSizes = new(StringComparer.Ordinal);

    private static int? NamedCurveFieldSize(DerObjectIdentifier curve) =>
        FieldSizes.GetOrAdd(curve.Id, _ => Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetByOid(curve)?.Curve.FieldSize);

    internal static (string Algorithm, int? Size, string? Curve) DescribeKey(AsymmetricKeyParameter key) => key switch
    {
        RsaKeyParameters rsa => ("RSA", rsa.Modulus.BitLength, null),
        ECPublicKeyParameters ec => ("EC", ec.Parameters.Curve.FieldSize, CurveName(ec)),
        Ed25519PublicKeyParameters => ("Ed25519", 256, null),
        Ed448PublicKeyParameters => ("Ed448", 456, null),
        DsaPublicKeyParameters dsa => ("DSA", dsa.Parameters.P.BitLength, null),
        _ => (key.GetType().Name.Replace("PublicKeyParameters", string.Empty, StringComparison.Ordinal), null, null),
    };

    private static string? CurveName(ECPublicKeyParameters key) => key.PublicKeyParamSet is DerObjectIdentifier oid ? CurveName(oid) : null;

    private static string CurveName(DerObjectIdentifier oid) =>
        Org.BouncyCastle.Asn1.Nist.NistNamedCurves.GetName(oid)
            ?? Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetName(oid)
            ?? oid.Id;

    private static List<string> SubjectAlternativeNames(X509Certificate certificate)
    {
        var names = new List<string>();
        var entries = certificate.GetSubjectAlternativeNames();
        if (entries is null)
        {
            return names;
        }

        foreach (var entry in entries)
        {
            int type = Convert.ToInt32(entry[0], System.Globalization.CultureInfo.InvariantCulture);
            string value = entry[1]?.ToString() ?? string.Empty;
            names.Add(type switch
            {
                GeneralName.DnsName => "DNS:" + value,
                GeneralName.IPAddress => "IP Address:" + (IPAddress.TryParse(value, out IPAddress? ip) ? ip.ToString() : value),
                GeneralName.UniformResourceIdentifier => "URI:" + value,
                GeneralName.Rfc822Name => "email:" + value,
                GeneralName.DirectoryName => "DirName:" + value,
                GeneralName.RegisteredID => "Registered ID:" + value,
                _ => "othername:" + value,
            });
        }

        return names;
    }

    private static List<string> KeyUsage(X509Certificate certificate)
    {
        bool[]? bits = certificate.GetKeyUsage();
        var usages = new List<string>();
        if (bits is null)
        {
            return usages;
        }

        for (int i = 0; i < bits.Length && i < KeyUsageNames.Length; i++)
        {
            if (bits[i])
            {
                usages.Add(KeyUsageNames[i]);
            }
        }

        return usages;
    }

    private static List<string> ExtendedKeyUsage(X509Certificate certificate)
    {
        var oids = certificate.GetExtendedKeyUsage();
        return oids is null
            ? new List<string>()
            : oids.Select(o => ExtendedKeyUsageNames.TryGetValue(o.Id, out string? name) ? name : o.Id).ToList();
    }

    private static string? KeyIdentifier(X509Certificate certificate, DerObjectIdentifier extension) =>
        KeyIdentifierBytes(certificate, extension) is byte[] identifier ? Convert.ToHexString(identifier) : null;

    /// <summary>The key identifier of the subject (or authority) key identifier extension, or null when there is none.</summary>
    internal static byte[]? KeyIdentifierBytes(X509Certificate certificate, DerObjectIdentifier extension)
    {
        Asn1OctetString? value = certificate.GetExtensionValue(extension);
        if (value is null)
        {
            return null;
        }

        Asn1Object parsed = X509ExtensionUtilities.FromExtensionValue(value);
        return extension.Equals(X509Extensions.SubjectKeyIdentifier)
            ? SubjectKeyIdentifier.GetInstance(parsed).GetKeyIdentifier()
            : AuthorityKeyIdentifier.GetInstance(parsed).KeyIdentifier?.GetOctets();
    }
}
