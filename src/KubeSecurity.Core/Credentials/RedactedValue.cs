using System.Globalization;
using System.Security.Cryptography;

namespace KubeSecurity.Core.Credentials;

/// <summary>
/// The stand-in written where a secret value was: its length and a SHA-256 fingerprint, enough to
/// tell values apart and to notice a change, never enough to recover them.
/// </summary>
public static class RedactedValue
{
    public const string Prefix = "ksec-redacted:v1:";

    /// <summary>The first 16 hex digits of the SHA-256 of the value's bytes.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> value) => Convert.ToHexString(SHA256.HashData(value))[..16].ToLowerInvariant();

    public static string Format(ReadOnlySpan<byte> value) => $"{Prefix}len={value.Length}:sha256={Fingerprint(value)}";

    public static bool IsRedacted(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool TryParse(string? value, out int length, out string fingerprint)
    {
        length = 0;
        fingerprint = string.Empty;
        if (!IsRedacted(value))
        {
            return false;
        }

        string[] parts = value![Prefix.Length..].Split(':');
        if (parts.Length != 2 || !parts[0].StartsWith("len=", StringComparison.Ordinal) || !parts[1].StartsWith("sha256=", StringComparison.Ordinal))
        {
            return false;
        }

        fingerprint = parts[1][7..];
        return int.TryParse(parts[0].AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out length);
    }
}
