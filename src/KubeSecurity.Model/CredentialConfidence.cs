namespace KubeSecurity.Model;

/// <summary>How sure a credential detection is (Find-KubeCredentialLeak -MinimumConfidence, a finding's Evidence.Confidence).</summary>
public enum CredentialConfidence
{
    /// <summary>Randomness alone (the entropy detector).</summary>
    Low,

    /// <summary>A shape, an assignment or a credential-named key.</summary>
    Medium,

    /// <summary>A format with a checksum or a distinctive prefix, a private key, a URL with a password.</summary>
    High,
}
