namespace KubeSecurity.Model;

/// <summary>What checking a certificate's signature against the certificates found alongside it showed.</summary>
public enum CertificateChainStatus
{
    /// <summary>No certificate with the issuer's name was found, so the signature could not be checked.</summary>
    IssuerNotFound,

    /// <summary>The signature verifies with the key of a CA found alongside it (VerifiedBy names it).</summary>
    Verified,

    /// <summary>Issued by itself and its signature verifies with its own key.</summary>
    SelfSigned,

    /// <summary>The signature verifies, but against a certificate that may not sign others (no basicConstraints CA), which TLS clients reject.</summary>
    IssuerNotCA,

    /// <summary>Certificates with the issuer's name were found, but none of their keys verifies the signature.</summary>
    SignatureInvalid,
}
