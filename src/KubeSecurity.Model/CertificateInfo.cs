namespace KubeSecurity.Model;

/// <summary>
/// One certificate the cluster depends on, and where it was found. Names follow what
/// <c>openssl x509 -text</c> prints (signature algorithms, key usages, SAN labels) so the two can be
/// compared; serials, key ids and thumbprints are upper-case hex without separators.
/// </summary>
public sealed class CertificateInfo
{
    public CertificateInfo(
        string subject,
        string issuer,
        string serialNumber,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        IReadOnlyList<string> subjectAlternativeNames,
        string keyAlgorithm,
        int? keySize,
        string? curve,
        string signatureAlgorithm,
        bool isCertificateAuthority,
        int? pathLength,
        IReadOnlyList<string> keyUsage,
        IReadOnlyList<string> extendedKeyUsage,
        string? subjectKeyId,
        string? authorityKeyId,
        string thumbprint,
        string source,
        CertificateSourceKind sourceKind,
        ResourceRef? resource,
        string? dataKey,
        DateTimeOffset asOf,
        byte[] rawData)
    {
        Subject = subject;
        Issuer = issuer;
        SerialNumber = serialNumber;
        NotBefore = notBefore;
        NotAfter = notAfter;
        SubjectAlternativeNames = subjectAlternativeNames;
        KeyAlgorithm = keyAlgorithm;
        KeySize = keySize;
        Curve = curve;
        SignatureAlgorithm = signatureAlgorithm;
        IsCertificateAuthority = isCertificateAuthority;
        PathLength = pathLength;
        KeyUsage = keyUsage;
        ExtendedKeyUsage = extendedKeyUsage;
        SubjectKeyId = subjectKeyId;
        AuthorityKeyId = authorityKeyId;
        Thumbprint = thumbprint;
        Source = source;
        SourceKind = sourceKind;
        Resource = resource;
        DataKey = dataKey;
        AsOf = asOf;
        this.rawData = rawData;
    }

    private readonly byte[] rawData;

    public string Subject { get; }
    public string Issuer { get; }
    public string SerialNumber { get; }
    public DateTimeOffset NotBefore { get; }
    public DateTimeOffset NotAfter { get; }

    /// <summary>The time the certificate was evaluated at (now, unless a caller fixed the clock).</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Whole days until NotAfter as of <see cref="AsOf"/>; negative once expired.</summary>
    public int DaysRemaining => (int)Math.Floor((NotAfter - AsOf).TotalDays);

    public bool IsExpired => NotAfter < AsOf;
    public bool IsNotYetValid => NotBefore > AsOf;

    /// <summary>Labelled as openssl prints them: <c>DNS:</c>, <c>IP Address:</c>, <c>URI:</c>, <c>email:</c>.</summary>
    public IReadOnlyList<string> SubjectAlternativeNames { get; }

    /// <summary>RSA, EC, Ed25519, Ed448 or DSA.</summary>
    public string KeyAlgorithm { get; }

    /// <summary>Modulus bits for RSA/DSA, field bits for EC and EdDSA.</summary>
    public int? KeySize { get; }

    /// <summary>The NIST name of an EC curve (P-256), or its OID when it has none.</summary>
    public string? Curve { get; }

    /// <summary>openssl's name: sha256WithRSAEncryption, ecdsa-with-SHA256, ED25519, ...</summary>
    public string SignatureAlgorithm { get; }

    public bool IsCertificateAuthority { get; }
    public int? PathLength { get; }
    public IReadOnlyList<string> KeyUsage { get; }
    public IReadOnlyList<string> ExtendedKeyUsage { get; }
    public string? SubjectKeyId { get; }
    public string? AuthorityKeyId { get; }

    /// <summary>SHA-256 of the DER encoding.</summary>
    public string Thumbprint { get; }

    /// <summary>Where the certificate was found: <c>Secret shop/shop-tls key tls.crt</c>, a file path, a kubeconfig context.</summary>
    public string Source { get; }

    /// <summary>The kind of place <see cref="Source"/> names.</summary>
    public CertificateSourceKind SourceKind { get; }

    /// <summary>The Kubernetes object holding the certificate, when it came from one.</summary>
    public ResourceRef? Resource { get; }

    // Flattened for by-property-name binding, like Finding.
    public string? Kind => Resource?.Kind;
    public string? Namespace => Resource?.Namespace;
    public string? Name => Resource?.Name;

    /// <summary>The data key, annotation or field the certificate was read from.</summary>
    public string? DataKey { get; }

    /// <summary>The result of checking the signature against the other certificates; set by the inventory once all certificates are known.</summary>
    public CertificateChainStatus ChainStatus { get; private set; } = CertificateChainStatus.IssuerNotFound;

    /// <summary>The subject of the certificate that verified this one's signature, when found (the non-CA signer with IssuerNotCA).</summary>
    public string? VerifiedBy { get; private set; }

    public bool IsSelfSigned => ChainStatus == CertificateChainStatus.SelfSigned;

    /// <summary>The DER encoding (a public certificate: not secret).</summary>
    public byte[] GetRawData() => (byte[])rawData.Clone();

    /// <summary>The certificate as PEM.</summary>
    public string ToPem()
    {
        string base64 = Convert.ToBase64String(rawData, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal);
        return $"-----BEGIN CERTIFICATE-----\n{base64}\n-----END CERTIFICATE-----\n";
    }

    /// <summary>A copy carrying the chain result; the inventory makes it once it has seen every certificate.</summary>
    public CertificateInfo WithChainStatus(CertificateChainStatus status, string? verifiedBy)
    {
        var copy = (CertificateInfo)MemberwiseClone();
        copy.ChainStatus = status;
        copy.VerifiedBy = verifiedBy;
        return copy;
    }

    public override string ToString() => $"{Subject} (expires {NotAfter:yyyy-MM-dd}; {Source})";
}
