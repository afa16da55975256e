using System.Text;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Utilities.IO.Pem;
using Org.BouncyCastle.X509;

namespace KubeSecurity.Core.Certificates;

/// <summary>What reading one input produced: its certificates and, for each part that failed, why.</summary>
public sealed class CertificateReadResult
{
    public List<X509Certificate> Certificates { get; } = new();
    public List<string> Problems { get; } = new();
}

/// <summary>
/// Reads certificates from any encoding a cluster uses, all through BouncyCastle: PEM (any number
/// of blocks, PKCS#7 blocks included), DER, PKCS#7 bundles and PKCS#12 files. Private keys and
/// requests in the same input are skipped, never parsed into output.
/// </summary>
public static class CertificateReader
{
    /// <summary>Certificate files larger than this are refused rather than scanned.</summary>
    public const int MaxInputBytes = 64 * 1024 * 1024;

    private static readonly byte[] PemMarker = "-----BEGIN "u8.ToArray();

    public static bool LooksLikePem(ReadOnlySpan<byte> data) => data.IndexOf(PemMarker) >= 0;

    /// <summary>The same test on bytes (PEM is ASCII), without making a string of them.</summary>
    public static bool ContainsPemCertificate(ReadOnlySpan<byte> data) =>
        data.IndexOf("-----BEGIN CERTIFICATE-----"u8) >= 0
        || data.IndexOf("-----BEGIN TRUSTED CERTIFICATE-----"u8) >= 0
        || data.IndexOf("-----BEGIN PKCS7-----"u8) >= 0;

    public static bool ContainsPemCertificate(string text) =>
        text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
        || text.Contains("-----BEGIN TRUSTED CERTIFICATE-----", StringComparison.Ordinal)
        || text.Contains("-----BEGIN PKCS7-----", StringComparison.Ordinal);

    /// <param name="password">For PKCS#12 input; null tries an empty password.</param>
    public static CertificateReadResult Read(byte[] data, char[]? password = null)
    {
        var result = new CertificateReadResult();
        if (data.Length > MaxInputBytes)
        {
            result.Problems.Add($"the input is {data.Length:N0} bytes, over the {MaxInputBytes:N0}-byte limit for certificate files");
            return result;
        }

        if (LooksLikePem(data))
        {
            ReadPem(Encoding.ASCII.GetString(data), result);
        }
        else
        {
            ReadBinary(data, password, result);
        }

        return result;
    }

    /// <summary>Bundles at least this large are parsed on all cores.</summary>
    private const int ParallelBlocks = 64;

    /// <summary>
    /// PEM blocks are found and decoded with the platform's span-based PEM reader, then parsed (in
    /// parallel for large bundles, keeping their order). A block the reader cannot take (bad
    /// base64, no END line) is counted and reported, never silently dropped.
    /// </summary>
    private static void ReadPem(string text, CertificateReadResult result)
    {
        var blocks = new List<(int Number, string Label, byte[] Der)>();
        int found = 0, malformed = 0;
        int position = 0;
        // Each block is cut out first (BEGIN to the end of the next END line), so a text of many
        // BEGIN lines without an END costs one pass, not one pass per BEGIN.
        while (position < text.Length)
        {
            int begin = text.IndexOf("-----BEGIN ", position, StringComparison.Ordinal);
            if (begin < 0)
            {
                break;
            }

            int end = text.IndexOf("-----END ", begin, StringComparison.Ordinal);
            if (end < 0)
            {
                malformed += CountBegins(text, begin);
                break;
            }

            int lineEnd = text.IndexOf('\n', end);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd + 1;
            ReadOnlySpan<char> candidate = text.AsSpan(begin, lineEnd - begin);
            if (!System.Security.Cryptography.PemEncoding.TryFind(candidate, out System.Security.Cryptography.PemFields fields))
            {
                malformed += CountBegins(candidate.ToString(), 0);
                position = lineEnd;
                continue;
            }

            found++;
            // Text before the block that TryFind skipped (a BEGIN without its own END) is malformed too.
            malformed += CountBegins(candidate[..fields.Location.Start.GetOffset(candidate.Length)].ToString(), 0);
            string label = candidate[fields.Label].ToString();
            if (label is "CERTIFICATE" or "X509 CERTIFICATE" or "TRUSTED CERTIFICATE" or "PKCS7" or "CMS")
            {
                byte[] der = new byte[fields.DecodedDataLength];
                if (Convert.TryFromBase64Chars(candidate[fields.Base64Data], der, out int written))
                {
                    blocks.Add((found, label, written == der.Length ? der : der[..written]));
                }
                else
                {
                    result.Problems.Add($"PEM block {found} ({label}) is not valid base64");
                }
            }

            // Keys, requests, parameters: not certificates, and keys are never echoed.
            position = begin + fields.Location.End.GetOffset(candidate.Length);
        }

        if (malformed > 0)
        {
            result.Problems.Add($"{malformed:N0} PEM block(s) are malformed (bad base64, or no matching END line) and were skipped");
        }

        var parsed = new (List<X509Certificate> Certificates, string? Problem)[blocks.Count];
        void Parse(int i)
        {
            (int number, string label, byte[] der) = blocks[i];
            try
            {
                if (label is "PKCS7" or "CMS")
                {
                    parsed[i] = (ReadPkcs7(der).ToList(), null);
                    return;
                }

                X509Certificate? certificate = new X509CertificateParser().ReadCertificate(der);
                parsed[i] = certificate is null
                    ? (new List<X509Certificate>(), $"PEM block {number} ({label}) is not a valid certificate: no certificate structure in it")
                    : (new List<X509Certificate> { certificate }, null);
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                parsed[i] = (new List<X509Certificate>(), $"PEM block {number} ({label}) is not a valid {label.ToLowerInvariant()}: {ex.Message}");
            }
        }

        if (blocks.Count >= ParallelBlocks)
        {
            Parallel.For(0, blocks.Count, Parse);
        }
        else
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                Parse(i);
            }
        }

        foreach ((List<X509Certificate> certificates, string? problem) in parsed)
        {
            result.Certificates.AddRange(certificates);
            if (problem is not null)
            {
                result.Problems.Add(problem);
            }
        }
    }

    private static int CountBegins(string text, int from)
    {
        int count = 0;
        for (int at = text.IndexOf("-----BEGIN ", from, StringComparison.Ordinal); at >= 0; at = text.IndexOf("-----BEGIN ", at + 11, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static void ReadBinary(byte[] data, char[]? password, CertificateReadResult result)
    {
        if (data.Length == 0)
        {
            result.Problems.Add("the input is empty");
            return;
        }

        // DER certificate or PKCS#7: a SEQUENCE whose parser recognises it.
        try
        {
            var certificates = new X509CertificateParser().ReadCertificates(data);
            if (certificates.Count > 0)
            {
                result.Certificates.AddRange(certificates);
                return;
            }
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            // Not DER or PKCS#7; PKCS#12 is tried next.
        }

        try
        {
            Pkcs12Store store = new Pkcs12StoreBuilder().Build();
            store.Load(new MemoryStream(data), password ?? Array.Empty<char>());
            var seen = new HashSet<X509Certificate>();
            foreach (string alias in store.Aliases)
            {
                foreach (X509CertificateEntry entry in store.GetCertificateChain(alias) ?? (store.GetCertificate(alias) is { } single ? new[] { single } : Array.Empty<X509CertificateEntry>()))
                {
                    if (seen.Add(entry.Certificate))
                    {
                        result.Certificates.Add(entry.Certificate);
                    }
                }
            }

            if (result.Certificates.Count == 0)
            {
                result.Problems.Add("the PKCS#12 file holds no certificates");
            }
        }
        catch (IOException ex) when (ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("MAC", StringComparison.Ordinal))
        {
            result.Problems.Add(password is null
                ? "the PKCS#12 file is protected by a password; pass it with -Password"
                : "the PKCS#12 password is wrong (or the file is corrupt)");
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            result.Problems.Add($"not a certificate in any supported encoding (PEM, DER, PKCS#7, PKCS#12): {FirstLine(ex.Message)}");
        }
    }

    private static IEnumerable<X509Certificate> ReadPkcs7(byte[] content) =>
        new CmsSignedData(content).GetCertificates().EnumerateMatches(null);

    private static bool IsParseFailure(Exception ex) =>
        ex is IOException or FormatException or ArgumentException or InvalidCastException or CmsException or PkcsException
            or Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.Asn1.Asn1Exception or InvalidOperationException or IndexOutOfRangeException;

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline > 0 ? message[..newline].Trim() : message;
    }
}
