namespace KubeSecurity.Model;

/// <summary>Where a certificate was found; <see cref="CertificateInfo.Source"/> says exactly where, in words.</summary>
public enum CertificateSourceKind
{
    /// <summary>A certificate file (PEM, DER, PKCS#7, PKCS#12).</summary>
    File,

    /// <summary>A kubeconfig: a cluster's certificate-authority or a user's client-certificate.</summary>
    Kubeconfig,

    /// <summary>The TLS chain an API server presented.</summary>
    ServerChain,

    /// <summary>A key of a Secret.</summary>
    Secret,

    /// <summary>A key of a ConfigMap (CA bundles).</summary>
    ConfigMap,

    /// <summary>The caBundle of an admission webhook.</summary>
    Webhook,

    /// <summary>The caBundle of an aggregated APIService.</summary>
    ApiService,

    /// <summary>The issued certificate of a CertificateSigningRequest.</summary>
    CertificateSigningRequest,

    /// <summary>Made by New-KubeCertificate.</summary>
    Generated,
}
