using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Security.Cryptography;
using System.Text.Json;
using KubeSecurity.Model;
using KubeSecurity.Core.Credentials;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Secrets;

/// <summary>Reads a Secret's keys and, when the snapshot kept them, its decoded values.</summary>
public static class SecretData
{
    public const int MaxValueBytes = 1024 * 1024;

    // The type and key names are in the outline: no body is read back for them.
    public static string? Type(KubeObject secret) => Snapshots.JsonRead.String(secret.Outline, "type") ?? "Opaque";

    public static List<string> Keys(KubeObject secret)
    {
        var keys = new List<string>();
        foreach (string field in new[] { "data", "stringData" })
        {
            if (secret.Outline.TryGet(field, out JsonElement map) && map.ValueKind == JsonValueKind.Object)
            {
                keys.AddRange(map.EnumerateObject().Select(p => p.Name));
            }
        }

        return keys.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The value of a key as bytes. False with <paramref name="redacted"/> when the snapshot
    /// replaced it by a fingerprint, or with a problem when it is not valid base64 or too large.
    /// </summary>
    public static bool TryRead(KubeObject secret, string key, out byte[] value, out bool redacted, out string? problem)
    {
        bool read = TryRead(secret, key, pooled: false, out PooledValue decoded, out redacted, out problem);
        value = decoded.OwnArray;
        return read;
    }

    /// <summary>
    /// <see cref="TryRead(KubeObject, string, out byte[], out bool, out string?)"/> for a caller that
    /// only looks at the value: base64 is decoded into a pooled buffer, returned when
    /// <paramref name="value"/> is disposed. Audits look at every value of every Opaque Secret for
    /// key material, and a copy of each was most of what they allocated.
    /// </summary>
    internal static bool TryReadPooled(KubeObject secret, string key, out PooledValue value, out bool redacted, out string? problem) =>
        TryRead(secret, key, pooled: true, out value, out redacted, out problem);

    private static bool TryRead(KubeObject secret, string key, bool pooled, out PooledValue value, out bool redacted, out string? problem)
    {
        value = PooledValue.Own(Array.Empty<byte>());
        redacted = false;
        problem = null;
        using BodyLease body = secret.OpenBody();
        JsonElement json = body.Json;
        if (json.TryGet("stringData"u8, out JsonElement stringData) && stringData.ValueKind == JsonValueKind.Object
            && stringData.TryGet(key, out JsonElement text) && text.ValueKind == JsonValueKind.String)
        {
            value = PooledValue.Own(Encoding.UTF8.GetBytes(text.AsString()!));
            return true;
        }

        if (!json.TryGet("data"u8, out JsonElement data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGet(key, out JsonElement encoded) || encoded.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        // Read from the document's UTF-8 without a UTF-16 copy of the base64 first: audits read every key of every Secret.
        ReadOnlySpan<byte> raw = Snapshots.JsonRead.StringUtf8(encoded);
        if (raw.StartsWith(RedactedPrefix))
        {
            redacted = true;
            return false;
        }

        if (raw.Length > MaxValueBytes * 4 / 3 + 4)
        {
            problem = $"data.{key} is larger than {MaxValueBytes / 1024} KiB; it is not read";
            return false;
        }

        if (pooled)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, Base64.GetMaxDecodedFromUtf8Length(raw.Length)));
            if (Base64.DecodeFromUtf8(raw, buffer, out int consumed, out int written) == OperationStatus.Done && consumed == raw.Length)
            {
                value = new PooledValue(buffer, written, pooled: true);
                return true;
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
        else if (encoded.TryGetBytesFromBase64(out byte[]? decoded))
        {
            value = PooledValue.Own(decoded);
            return true;
        }

        // Line-broken base64 (the API server's decoder skips line ends) takes the lenient path.
        string base64 = encoded.AsString()!;
        try
        {
            value = PooledValue.Own(Convert.FromBase64String(base64));
            return true;
        }
        catch (FormatException)
        {
            problem = $"data.{key} is not valid base64";
            return false;
        }
    }

    /// <summary>A decoded value, in a pooled buffer or its own array.</summary>
    internal readonly struct PooledValue : IDisposable
    {
        private readonly byte[] buffer;
        private readonly int length;
        private readonly bool pooled;

        public PooledValue(byte[] buffer, int length, bool pooled)
        {
            this.buffer = buffer;
            this.length = length;
            this.pooled = pooled;
        }

        /// <summary>A value in an array of its own, nothing to return.</summary>
        public static PooledValue Own(byte[] value) => new(value, value.Length, pooled: false);

        public ReadOnlySpan<byte> Bytes => buffer is null ? ReadOnlySpan<byte>.Empty : buffer.AsSpan(0, length);

        /// <summary>The value's own array (never a pooled one).</summary>
        public byte[] OwnArray => pooled ? throw new InvalidOperationException("A pooled value has no array of its own.") : buffer;

        public void Dispose()
        {
            if (pooled)
            {
                // The value may be key material: the next renter must not find it.
                CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static ReadOnlySpan<byte> RedactedPrefix => "ksec-redacted:"u8;
}
