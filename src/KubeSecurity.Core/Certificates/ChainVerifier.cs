using Org.BouncyCastle.X509;

namespace KubeSecurity.Core.Certificates;

/// <summary>Signature-by-signature chain checks: from a leaf through intermediates to one of a set of CAs.</summary>
public static class ChainVerifier
{
    public static bool VerifiesTo(X509Certificate leaf, IReadOnlyList<X509Certificate> intermediates, IReadOnlyList<X509Certificate> authorities)
    {
        X509Certificate current = leaf;
        for (int depth = 0; depth <= intermediates.Count; depth++)
        {
            if (authorities.Any(ca => SignedBy(current, ca)))
            {
                return true;
            }

            X509Certificate? next = intermediates.FirstOrDefault(i => SignedBy(current, i));
            if (next is null)
            {
                return false;
            }

            current = next;
        }

        return false;
    }

    public static bool SignedBy(X509Certificate certificate, X509Certificate issuer)
    {
        if (!certificate.IssuerDN.Equivalent(issuer.SubjectDN))
        {
            return false;
        }

        try
        {
            certificate.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.Security.SignatureException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }
}
