using System.Security.Cryptography;
using System.Text;

namespace KubeSecurity.Core.Credentials;

/// <summary>
/// The key of keyed fingerprints (HMAC-SHA256) of secret values. By default a random key made once
/// per process: fingerprints tell values apart and show the same value in two places within one
/// PowerShell session, but cannot be checked against guesses by anyone holding only the output. To
/// correlate across runs (yesterday's redacted snapshot with today's), set
/// <see cref="EnvironmentVariable"/> to a passphrase of at least 16 characters: the key is derived
/// from it, and only whoever holds it can compare or test fingerprints.
/// </summary>
public static class FingerprintKey
{
    public const string EnvironmentVariable = "KUBESECURITY_FINGERPRINT_KEY";

    public const int MinimumPassphraseLength = 16;

    private static readonly byte[] RandomKey = RandomNumberGenerator.GetBytes(32);
    private static (string? Passphrase, byte[] Key, string Id) current = (null, RandomKey, IdOf(RandomKey));

    /// <summary>The key in use (the passphrase's when one is set, else the process's random key).</summary>
    public static byte[] Key => Resolve().Key;

    /// <summary>A short public name of the key, written beside fingerprints: equal ids mean comparable fingerprints. It reveals nothing of the key.</summary>
    public static string Id => Resolve().Id;

    /// <summary>Whether the key comes from <see cref="EnvironmentVariable"/> (so fingerprints are stable across runs).</summary>
    public static bool FromPassphrase => Resolve().Passphrase is not null;

    private static (string? Passphrase, byte[] Key, string Id) Resolve()
    {
        string? passphrase = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (passphrase is { Length: < MinimumPassphraseLength })
        {
            throw new InvalidOperationException($"${EnvironmentVariable} is set but shorter than {MinimumPassphraseLength} characters; a short passphrase would let fingerprints be tested against guesses. Use a longer one, or remove it to use a random key per session.");
        }

        (string? Passphrase, byte[] Key, string Id) known = current;
        if (passphrase == known.Passphrase)
        {
            return known;
        }

        byte[] key = passphrase is null ? RandomKey : Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), Encoding.UTF8.GetBytes("kubesecurity fingerprint key v2"), 100_000, HashAlgorithmName.SHA256, 32);
        current = known = (passphrase, key, IdOf(key));
        return known;
    }

    private static string IdOf(byte[] key) => Convert.ToHexString(HMACSHA256.HashData(key, "kubesecurity fingerprint key id"u8))[..8].ToLowerInvariant();
}
