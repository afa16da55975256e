using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Org.BouncyCastle.X509;

namespace KubeSecurity.Core.Certificates;

/// <summary>
/// Checks the common certificate signatures (RSA PKCS#1 v1.5 and ECDSA with SHA-2) with the
/// platform's cryptography (OpenSSL on Linux), which is an order of magnitude faster than the
/// managed big-integer arithmetic; anything else (PSS, SHA-1, MD5, Ed25519, DSA) is left to
/// BouncyCastle. Each issuer's key is imported once, into a small pool so parallel checks
/// never share an instance.
/// </summary>
internal static class NativeSignatureCheck
{
    private sealed class KeyPool(byte[] subjectPublicKeyInfo, bool rsa)
    {
        private readonly ConcurrentBag<AsymmetricAlgorithm> idle = new();

        public bool IsRsa { get; } = rsa;

        public AsymmetricAlgorithm Rent()
        {
            if (idle.TryTake(out AsymmetricAlgorithm? key))
            {
                return key;
            }

            AsymmetricAlgorithm created = IsRsa ? RSA.Create() : ECDsa.Create();
            if (created is RSA r)
            {
                r.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            }
            else
            {
                ((ECDsa)created).ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            }

            return created;
        }

        public void Return(AsymmetricAlgorithm key) => idle.Add(key);
    }

    // Null value: the issuer's key is not one the platform checks here.
    private static readonly ConditionalWeakTable<X509Certificate, KeyPool?> Pools = new();

    /// <summary>
    /// True when the signature was checked here (<paramref name="valid"/> holds the answer); false
    /// when the algorithm is not handled and BouncyCastle must decide.
    /// </summary>
    public static bool TryVerify(X509Certificate certificate, X509Certificate issuer, out bool valid)
    {
        valid = false;
        (HashAlgorithmName Hash, bool Rsa)? scheme = certificate.SigAlgOid switch
        {
            "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, true),
            "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, true),
            "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, true),
            "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, false),
            "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, false),
            "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, false),
            _ => null,
        };
        if (scheme is not (HashAlgorithmName hash, bool rsa))
        {
            return false;
        }

        KeyPool? pool = Pools.GetValue(issuer, Import);
        if (pool is null || pool.IsRsa != rsa)
        {
            return false;
        }

        // As BouncyCastle (and RFC 5280) require: the signed algorithm must be the one the certificate claims.
        if (!certificate.CertificateStructure.SignatureAlgorithm.Equals(certificate.CertificateStructure.TbsCertificate.Signature))
        {
            return true;
        }

        byte[] signed = certificate.GetTbsCertificate();
        byte[] signature = certificate.GetSignature();
        AsymmetricAlgorithm key = pool.Rent();
        try
        {
            valid = key is RSA rsaKey
                ? rsaKey.VerifyData(signed, signature, hash, RSASignaturePadding.Pkcs1)
                : ((ECDsa)key).VerifyData(signed, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            valid = false;
        }
        finally
        {
            pool.Return(key);
        }

        return true;
    }

    private static KeyPool? Import(X509Certificate issuer)
    {
        string algorithm = issuer.SubjectPublicKeyInfo.Algorithm.Algorithm.Id;
        bool rsa = algorithm == "1.2.840.113549.1.1.1";
        if (!rsa && algorithm != "1.2.840.10045.2.1")
        {
            return null;
        }

        try
        {
            var pool = new KeyPool(issuer.SubjectPublicKeyInfo.GetEncoded(), rsa);
            pool.Return(pool.Rent()); // Import once now: a key the platform rejects goes to BouncyCastle instead.
            return pool;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException)
        {
            return null;
        }
    }
}
