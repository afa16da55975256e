namespace KubeSecurity.Model;

/// <summary>One CertificateSigningRequest with its PKCS#10 request decoded: who asks for what, and where it stands.</summary>
public sealed record CertificateSigningRequestInfo(
    string Name,
    string RequestedSubject,
    string? CommonName,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> SubjectAlternativeNames,
    string KeyAlgorithm,
    int? KeySize,
    string? Curve,
    string SignerName,
    IReadOnlyList<string> Usages,
    string Condition,
    DateTimeOffset? CreatedAt,
    DateTimeOffset AsOf,
    string? Username,
    IReadOnlyList<string> RequestorGroups,
    bool CertificateIssued)
{
    /// <summary>Always CertificateSigningRequest: lets the object bind by property name like other resources.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An instance property so PowerShell binds it by property name.")]
    public string Kind => "CertificateSigningRequest";

    /// <summary>How long ago the request was made, as of <see cref="AsOf"/>.</summary>
    public TimeSpan? Age => CreatedAt is DateTimeOffset created ? AsOf - created : null;

    public ResourceRef ToResourceRef() => new(Kind, null, Name);

    public override string ToString() => $"{Name}: {RequestedSubject} via {SignerName} ({Condition})";
}
