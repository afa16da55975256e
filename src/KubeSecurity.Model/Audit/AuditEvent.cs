namespace KubeSecurity.Model;

/// <summary>One Kubernetes API audit event (audit.k8s.io/v1): who did what to which object, from where, and how it ended.</summary>
public sealed record AuditEvent(
    DateTimeOffset? Timestamp,
    string? AuditId,
    string? Stage,
    string? User,
    IReadOnlyList<string> Groups,
    string? ImpersonatedUser,
    IReadOnlyList<string> SourceIps,
    string? UserAgent,
    string Verb,
    string? ApiGroup,
    string? Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string? RequestUri,
    int? ResponseCode)
{
    /// <summary>The user the request was authorized as: the impersonated user when there was one.</summary>
    public string? EffectiveUser => ImpersonatedUser ?? User;

    // 101: exec, attach and port-forward upgrade the connection.
    public bool Succeeded => ResponseCode is >= 100 and < 400;

    public override string ToString() =>
        $"{Timestamp:u} {EffectiveUser} {Verb} {(Resource is null ? RequestUri : $"{Resource}{(Subresource is null ? string.Empty : "/" + Subresource)} {Namespace}/{Name}")} -> {ResponseCode}";
}
