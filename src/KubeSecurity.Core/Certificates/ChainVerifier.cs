using Org.BouncyCastle.X509;

namespace KubeSecurity.Core.Certificates;

/// <summary>
/// Chain checks as the API server's verifier (Go's crypto/x509) makes them: each link's signature
/// verifies with its issuer's key, the issuer may sign certificates (a CA by basicConstraints, or a
/// version 1 certificate), its path length constraint is respected, and, when a time is given,
/// every certificate of the path is valid at that time. Key usage is not required of CAs, as Go
/// does not require it.
/// </summary>
public static class ChainVerifier
{
    public static bool VerifiesTo(X509Certificate leaf, IReadOnlyList<X509Certificate> intermediates, IReadOnlyList<X509Certificate> authorities, DateTimeOffset? at = null)
    {
        if (!ValidAt(leaf, at))
        {
            return false;
        }

        X509Certificate current = leaf;
        for (int depth = 0; depth <= intermediates.Count; depth++)
        {
            if (authorities.Any(ca => Issues(ca, current, depth, at)))
            {
                return true;
            }

            X509Certificate? next = intermediates.FirstOrDefault(i => !i.Equals(current) && Issues(i, current, depth, at));
            if (next is null)
            {
                return false;
            }

            current = next;
        }

        return false;
    }

    /// <summary>Whether a certificate may sign others: a CA by basicConstraints, or a version 1 certificate (which has no extensions).</summary>
    public static bool MayIssue(X509Certificate issuer) => issuer.Version < 3 || issuer.GetBasicConstraints() >= 0;

    public static bool SignedBy(X509Certificate certificate, X509Certificate issuer)
    {
        if (!certificate.IssuerDN.Equivalent(issuer.SubjectDN))
        {
            return false;
        }

        try
        {
            if (NativeSignatureCheck.TryVerify(certificate, issuer, out bool valid))
            {
                return valid;
            }

            certificate.Verify(PublicKeyOf(issuer));
            return true;
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.Security.SignatureException or Org.BouncyCastle.Crypto.CryptoException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    // An issuer signs many certificates: its key is built (and, for RSA, its modulus validated) once, not per child.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<X509Certificate, Org.BouncyCastle.Crypto.AsymmetricKeyParameter> IssuerKeys = new();

    private static Org.BouncyCastle.Crypto.AsymmetricKeyParameter PublicKeyOf(X509Certificate issuer) => IssuerKeys.GetValue(issuer, static c => c.GetPublicKey());

    // depth: how many intermediates lie between the issuer and the leaf (its pathLenConstraint must allow them).
    private static bool Issues(X509Certificate issuer, X509Certificate certificate, int depth, DateTimeOffset? at) =>
        MayIssue(issuer) && (issuer.Version < 3 || issuer.GetBasicConstraints() >= depth) && ValidAt(issuer, at) && SignedBy(certificate, issuer);

    private static bool ValidAt(X509Certificate certificate, DateTimeOffset? at) =>
        at is not DateTimeOffset time || (time.UtcDateTime >= certificate.NotBefore.ToUniversalTime() && time.UtcDateTime <= certificate.NotAfter.ToUniversalTime());
}
