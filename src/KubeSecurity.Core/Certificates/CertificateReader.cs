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

    private static void ReadPem(string text, CertificateReadResult result)
    {
        var reader = new PemReader(new StringReader(text));
        int block = 0;
        while (true)
        {
            PemObject? pem;
            block++;
            try
            {
                pem = reader.ReadPemObject();
            }
            catch (Exception ex) when (ex is IOException or FormatException or ArgumentException)
            {
                result.Problems.Add($"PEM block {block} is malformed: {ex.Message}");
                return;
            }

            if (pem is null)
            {
                return;
            }

            try
            {
                switch (pem.Type)
                {
                    case "CERTIFICATE" or "X509 CERTIFICATE" or "TRUSTED CERTIFICATE":
                        X509Certificate? certificate = new X509CertificateParser().ReadCertificate(pem.Content);
                        if (certificate is null)
                        {
                            result.Problems.Add($"PEM block {block} ({pem.Type}) is not a valid certificate: no certificate structure in it");
                        }
                        else
                        {
                            result.Certificates.Add(certificate);
                        }

                        break;
                    case "PKCS7" or "CMS":
                        result.Certificates.AddRange(ReadPkcs7(pem.Content));
                        break;
                    default:
                        // Keys, requests, parameters: not certificates, and keys are never echoed.
                        break;
                }
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                result.Problems.Add($"PEM block {block} ({pem.Type}) is not a valid {pem.Type.ToLowerInvariant()}: {ex.Message}");
            }
        }
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
