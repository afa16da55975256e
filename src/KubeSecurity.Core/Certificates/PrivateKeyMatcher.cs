using System.Text;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace KubeSecurity.Core.Certificates;

public enum KeyMatch
{
    Matches,
    DoesNotMatch,
    Unreadable,
    Encrypted,

    /// <summary>A key type this check does not handle (DSA, Ed448, X25519, ...): neither a match nor a mismatch.</summary>
    Unsupported,
}

/// <summary>
/// Whether a private key (PKCS#1, PKCS#8 or SEC1 PEM) belongs to a certificate, by deriving its
/// public key. The key material stays here: callers learn only the verdict.
/// </summary>
public static class PrivateKeyMatcher
{
    public static KeyMatch Check(byte[] keyPem, X509Certificate certificate)
    {
        // RSA keys are compared by modulus straight from their ASN.1: building (and validating) key
        // parameters costs milliseconds per secret, which thousands of TLS secrets turn into minutes.
        if (RsaModulus(keyPem) is { } rsaKey)
        {
            (Org.BouncyCastle.Math.BigInteger modulus, Org.BouncyCastle.Math.BigInteger? exponent) = rsaKey;
            if (certificate.SubjectPublicKeyInfo.Algorithm.Algorithm.Id is not (RsaEncryption or RsaPss))
            {
                return KeyMatch.DoesNotMatch;
            }

            var certificateKey = RsaPublicKeyStructure.GetInstance(certificate.SubjectPublicKeyInfo.ParsePublicKey());
            return modulus.Equals(certificateKey.Modulus) && (exponent is null || exponent.Equals(certificateKey.PublicExponent)) ? KeyMatch.Matches : KeyMatch.DoesNotMatch;
        }

        object? parsed;
        try
        {
            parsed = new PemReader(new StringReader(Encoding.ASCII.GetString(keyPem))).ReadObject();
        }
        catch (PasswordException)
        {
            return KeyMatch.Encrypted;
        }
        catch (Exception ex) when (ex is IOException or PemException or ArgumentException or InvalidCastException or Org.BouncyCastle.Asn1.Asn1Exception)
        {
            return KeyMatch.Unreadable;
        }

        AsymmetricKeyParameter? privateKey = parsed switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } key => key,
            _ => null,
        };
        if (privateKey is null)
        {
            return KeyMatch.Unreadable;
        }

        if (privateKey is not (RsaKeyParameters or ECPrivateKeyParameters or Ed25519PrivateKeyParameters))
        {
            return KeyMatch.Unsupported;
        }

        AsymmetricKeyParameter publicKey = certificate.GetPublicKey();
        bool matches = (privateKey, publicKey) switch
        {
            (ECPrivateKeyParameters ec, ECPublicKeyParameters certEc) => EcPublicPoint.Matches(ec, certEc),
            (Ed25519PrivateKeyParameters ed, Ed25519PublicKeyParameters certEd) => ed.GeneratePublicKey().GetEncoded().AsSpan().SequenceEqual(certEd.GetEncoded()),
            _ => false,
        };
        return matches ? KeyMatch.Matches : KeyMatch.DoesNotMatch;
    }

    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string RsaPss = "1.2.840.113549.1.1.10";

    /// <summary>The modulus and public exponent of an unencrypted RSA private key in PKCS#1 or PKCS#8 PEM, or null for anything else.</summary>
    private static (Org.BouncyCastle.Math.BigInteger Modulus, Org.BouncyCastle.Math.BigInteger? Exponent)? RsaModulus(byte[] keyPem)
    {
        // The platform's PEM reader finds and decodes the block without the copies a PEM object costs;
        // only the first block counts, and one with headers (legacy encryption) is the general path's.
        string text = Encoding.ASCII.GetString(keyPem);
        int first = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (first < 0 || !System.Security.Cryptography.PemEncoding.TryFind(text.AsSpan(first), out System.Security.Cryptography.PemFields fields)
            || fields.Location.Start.Value != 0)
        {
            return null;
        }

        ReadOnlySpan<char> label = text.AsSpan(first)[fields.Label];
        if (!label.SequenceEqual("RSA PRIVATE KEY") && !label.SequenceEqual("PRIVATE KEY"))
        {
            return null;
        }

        byte[] der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text.AsSpan(first)[fields.Base64Data], der, out int written))
        {
            return null;
        }

        byte[] content = written == der.Length ? der : der[..written];
        try
        {
            Org.BouncyCastle.Asn1.Pkcs.RsaPrivateKeyStructure? rsa = label.SequenceEqual("RSA PRIVATE KEY")
                ? Org.BouncyCastle.Asn1.Pkcs.RsaPrivateKeyStructure.GetInstance(content)
                : Org.BouncyCastle.Asn1.Pkcs.PrivateKeyInfo.GetInstance(content) is { } info && info.PrivateKeyAlgorithm.Algorithm.Id is RsaEncryption or RsaPss
                    ? Org.BouncyCastle.Asn1.Pkcs.RsaPrivateKeyStructure.GetInstance(info.ParsePrivateKey())
                    : null;
            return rsa is null ? null : (rsa.Modulus, rsa.PublicExponent);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidCastException or Org.BouncyCastle.Asn1.Asn1Exception)
        {
            return null; // Let the general path report it.
        }
    }
}
