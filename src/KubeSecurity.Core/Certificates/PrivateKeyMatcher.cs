using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Multiplier;
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

        if (privateKey is RsaKeyParameters rsaKey)
        {
            // The certificate's modulus read from its SubjectPublicKeyInfo: building validated key parameters costs milliseconds per secret.
            if (certificate.SubjectPublicKeyInfo.Algorithm.Algorithm.Id is not ("1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.10"))
            {
                return KeyMatch.DoesNotMatch;
            }

            var certificateKey = Org.BouncyCastle.Asn1.X509.RsaPublicKeyStructure.GetInstance(certificate.SubjectPublicKeyInfo.ParsePublicKey());
            bool same = rsaKey.Modulus.Equals(certificateKey.Modulus) && (rsaKey is not RsaPrivateCrtKeyParameters crt || crt.PublicExponent.Equals(certificateKey.PublicExponent));
            return same ? KeyMatch.Matches : KeyMatch.DoesNotMatch;
        }

        AsymmetricKeyParameter publicKey = certificate.GetPublicKey();
        bool matches = (privateKey, publicKey) switch
        {
            (ECPrivateKeyParameters ec, ECPublicKeyParameters certEc) => new FixedPointCombMultiplier().Multiply(ec.Parameters.G, ec.D).Normalize().Equals(certEc.Q.Normalize()),
            (Ed25519PrivateKeyParameters ed, Ed25519PublicKeyParameters certEd) => ed.GeneratePublicKey().GetEncoded().AsSpan().SequenceEqual(certEd.GetEncoded()),
            _ => false,
        };
        return matches ? KeyMatch.Matches : KeyMatch.DoesNotMatch;
    }
}
