using System.Security.Cryptography;

namespace KubeSecurity.Core.Credentials;

/// <summary>
/// The stand-in written where a secret value was: a coarse length bucket and a keyed fingerprint
/// (HMAC-SHA256 under <see cref="FingerprintKey"/>), enough to tell values apart and to notice a
/// change, never enough to recover a value or to confirm a guess of it without the key.
/// </summary>
public static class RedactedValue
{
    public const string Prefix = "ksec-redacted:";

    private const string Version = "v2:";

    /// <summary>
    /// 16 hex digits of the HMAC-SHA256 of the value's bytes under the session's (or the user's)
    /// key. Never a plain digest: a plain digest of a weak secret can be confirmed by guessing.
    /// </summary>
    public static string Fingerprint(ReadOnlySpan<byte> value) => Convert.ToHexString(HMACSHA256.HashData(FingerprintKey.Key, value))[..16].ToLowerInvariant();

    /// <summary>The length as a coarse range, so a stand-in does not narrow a guess to one length.</summary>
    public static string LengthBucket(int length) => length switch
    {
        0 => "0",
        <= 8 => "1-8",
        <= 16 => "9-16",
        <= 32 => "17-32",
        <= 64 => "33-64",
        <= 128 => "65-128",
        <= 256 => "129-256",
        <= 1024 => "257-1024",
        <= 4096 => "1025-4096",
        _ => "4097+",
    };

    public static string Format(ReadOnlySpan<byte> value) => $"{Prefix}{Version}len={LengthBucket(value.Length)}:hmac={Fingerprint(value)}:key={FingerprintKey.Id}";

    public static bool IsRedacted(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// Reads a stand-in: its length (a bucket, or an exact length in stand-ins written by versions
    /// before 2) and its fingerprint. Fingerprints compare only when written under the same key.
    /// </summary>
    public static bool TryParse(string? value, out string length, out string fingerprint)
    {
        length = string.Empty;
        fingerprint = string.Empty;
        if (!IsRedacted(value))
        {
            return false;
        }

        string[] parts = value![Prefix.Length..].Split(':');
        if (parts.Length < 3 || !parts[1].StartsWith("len=", StringComparison.Ordinal))
        {
            return false;
        }

        string marker = parts[0] == "v1" ? "sha256=" : "hmac=";
        if (parts[0] is not ("v1" or "v2") || !parts[2].StartsWith(marker, StringComparison.Ordinal))
        {
            return false;
        }

        length = parts[1][4..];
        fingerprint = parts[2][marker.Length..];
        return length.Length > 0 && fingerprint.Length > 0;
    }
}
