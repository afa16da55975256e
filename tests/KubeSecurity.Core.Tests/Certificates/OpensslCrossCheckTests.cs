using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Certificates;

/// <summary>
/// Every field Get-KubeCertificate reports, checked against what the real openssl prints for a
/// matrix of certificates openssl itself generated.
/// </summary>
public sealed class OpensslCrossCheckTests : IClassFixture<OpensslCrossCheckTests.Matrix>
{
    public sealed class Matrix
    {
        public Matrix()
        {
            Directory = TestPaths.TempDirectory();
            string script = Path.Combine(AppContext.BaseDirectory, "Certificates", "make-openssl-matrix.sh");
            (int exit, _, string error) = Run("bash", script, Directory);
            Assert.True(exit == 0, $"generating the matrix failed: {error}");
            Files = System.IO.Directory.GetFiles(Directory, "*.crt").Order(StringComparer.Ordinal).ToArray();

            var inventory = new CertificateInventory();
            foreach (string file in Files)
            {
                inventory.AddFile(file, null);
            }

            Problems = inventory.Problems;
            Certificates = inventory.Build(DateTimeOffset.UtcNow);
        }

        public string Directory { get; }
        public string[] Files { get; }
        public List<CertificateProblem> Problems { get; }
        public List<CertificateInfo> Certificates { get; }
    }

    private readonly Matrix matrix;

    public OpensslCrossCheckTests(Matrix matrix) => this.matrix = matrix;

    internal static (int Exit, string Output, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    [Fact]
    public void The_matrix_covers_the_cases_the_check_is_about()
    {
        Assert.Empty(matrix.Problems);
        Assert.Equal(13, matrix.Certificates.Count);
        Assert.Contains(matrix.Certificates, c => c.KeyAlgorithm == "RSA" && c.KeySize == 1024);
        Assert.Contains(matrix.Certificates, c => c.KeyAlgorithm == "RSA" && c.KeySize == 4096);
        Assert.Contains(matrix.Certificates, c => c.Curve == "P-384");
        Assert.Contains(matrix.Certificates, c => c.KeyAlgorithm == "Ed25519");
        Assert.Contains(matrix.Certificates, c => c.SignatureAlgorithm == "sha1WithRSAEncryption");
        Assert.Contains(matrix.Certificates, c => c.IsExpired);
        Assert.Contains(matrix.Certificates, c => c.IsNotYetValid);
    }

    [Fact]
    public void Every_reported_field_matches_openssl()
    {
        foreach (string file in matrix.Files)
        {
            CertificateInfo ours = Assert.Single(matrix.Certificates, c => c.Source == file);
            (int exit, string text, string error) = Run("openssl", "x509", "-in", file, "-noout", "-text");
            Assert.True(exit == 0, error);
            (_, string fingerprint, _) = Run("openssl", "x509", "-in", file, "-noout", "-fingerprint", "-sha256");
            string name = Path.GetFileName(file);

            Assert.True(NormalizeName(Field(text, "Subject:")) == NormalizeName(ours.Subject), $"{name} subject: openssl '{Field(text, "Subject:")}', ours '{ours.Subject}'");
            Assert.True(NormalizeName(Field(text, "Issuer:")) == NormalizeName(ours.Issuer), $"{name} issuer");
            Assert.Equal(Serial(text), ours.SerialNumber.TrimStart('0'));
            Assert.Equal(OpensslDate(Field(text, "Not Before:")), ours.NotBefore);
            Assert.Equal(OpensslDate(Field(text, "Not After :")), ours.NotAfter);
            Assert.Equal(Field(text, "Signature Algorithm:"), ours.SignatureAlgorithm);
            Assert.Equal(Hex(fingerprint[(fingerprint.IndexOf('=', StringComparison.Ordinal) + 1)..]), ours.Thumbprint);

            string keyAlgorithm = Field(text, "Public Key Algorithm:");
            Assert.Equal(keyAlgorithm switch { "rsaEncryption" => "RSA", "id-ecPublicKey" => "EC", "ED25519" => "Ed25519", _ => keyAlgorithm }, ours.KeyAlgorithm);
            Match bits = Regex.Match(text, @"Public-Key: \((\d+) bit\)");
            if (bits.Success)
            {
                Assert.Equal(int.Parse(bits.Groups[1].Value, CultureInfo.InvariantCulture), ours.KeySize);
            }

            Match curve = Regex.Match(text, @"NIST CURVE: (\S+)");
            Assert.Equal(curve.Success ? curve.Groups[1].Value : null, ours.Curve);

            string? basic = Extension(text, "X509v3 Basic Constraints");
            Assert.Equal(basic?.Contains("CA:TRUE", StringComparison.Ordinal) == true, ours.IsCertificateAuthority);
            Match pathLength = Regex.Match(basic ?? string.Empty, @"pathlen:(\d+)");
            Assert.Equal(pathLength.Success ? int.Parse(pathLength.Groups[1].Value, CultureInfo.InvariantCulture) : null, ours.PathLength);

            Assert.Equal(List(Extension(text, "X509v3 Key Usage")), ours.KeyUsage);
            Assert.Equal(List(Extension(text, "X509v3 Extended Key Usage")), ours.ExtendedKeyUsage);
            Assert.Equal(List(Extension(text, "X509v3 Subject Alternative Name")).Select(NormalizeSan), ours.SubjectAlternativeNames.Select(NormalizeSan));
            Assert.Equal(Extension(text, "X509v3 Subject Key Identifier") is string ski ? Hex(ski) : null, ours.SubjectKeyId);
            Assert.Equal(Extension(text, "X509v3 Authority Key Identifier") is string aki ? Hex(aki.Replace("keyid:", string.Empty, StringComparison.Ordinal)) : null, ours.AuthorityKeyId);
        }
    }

    [Fact]
    public void Chain_status_follows_the_chain_openssl_verifies()
    {
        CertificateInfo Find(string file) => matrix.Certificates.Single(c => Path.GetFileName(c.Source) == file);
        Assert.Equal(CertificateChainStatus.SelfSigned, Find("root.crt").ChainStatus);
        Assert.Equal(CertificateChainStatus.SelfSigned, Find("ed25519-root.crt").ChainStatus);
        Assert.Equal((CertificateChainStatus.Verified, "O=Matrix Org, CN=matrix-int3"), (Find("leaf-p384.crt").ChainStatus, Find("leaf-p384.crt").VerifiedBy));
        Assert.Equal(CertificateChainStatus.Verified, Find("int1.crt").ChainStatus);
        Assert.Equal(CertificateChainStatus.Verified, Find("leaf-ed25519.crt").ChainStatus);

        // The same leaf alone has no issuer to check against.
        var alone = new CertificateInventory();
        alone.AddFile(Path.Combine(matrix.Directory, "leaf-p256.crt"), null);
        Assert.Equal(CertificateChainStatus.IssuerNotFound, Assert.Single(alone.Build(DateTimeOffset.UtcNow)).ChainStatus);

        // openssl agrees the long chain verifies.
        string untrusted = Path.Combine(matrix.Directory, "intermediates.pem");
        File.WriteAllText(untrusted, string.Concat(new[] { "int1.crt", "int2.crt", "int3.crt" }.Select(f => File.ReadAllText(Path.Combine(matrix.Directory, f)))));
        (int exit, string output, string error) = Run("openssl", "verify", "-CAfile", Path.Combine(matrix.Directory, "root.crt"), "-untrusted", untrusted, Path.Combine(matrix.Directory, "leaf-p256.crt"));
        Assert.True(exit == 0, output + error);
    }

    private static string Field(string text, string label)
    {
        int at = text.IndexOf(label, StringComparison.Ordinal);
        Assert.True(at >= 0, $"openssl output has no '{label}'");
        int end = text.IndexOf('\n', at);
        return text[(at + label.Length)..end].Trim();
    }

    /// <summary>The line after an extension's heading, or null when the certificate lacks it.</summary>
    private static string? Extension(string text, string heading)
    {
        int at = text.IndexOf(heading + ":", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        int lineStart = text.IndexOf('\n', at) + 1;
        return text[lineStart..text.IndexOf('\n', lineStart)].Trim();
    }

    private static List<string> List(string? line) =>
        line is null ? new List<string>() : line.Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).ToList();

    private static string Serial(string text)
    {
        Match inline = Regex.Match(text, @"Serial Number: \d+ \(0x([0-9a-f]+)\)");
        if (inline.Success)
        {
            return inline.Groups[1].Value.ToUpperInvariant().TrimStart('0');
        }

        int at = text.IndexOf("Serial Number:", StringComparison.Ordinal);
        int lineStart = text.IndexOf('\n', at) + 1;
        return Hex(text[lineStart..text.IndexOf('\n', lineStart)]).TrimStart('0');
    }

    private static string Hex(string colonHex) => colonHex.Trim().Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    private static DateTimeOffset OpensslDate(string value) =>
        DateTimeOffset.ParseExact(Regex.Replace(value, " +", " "), "MMM d HH:mm:ss yyyy 'GMT'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string NormalizeName(string name) => Regex.Replace(name, @"\s*=\s*", "=");

    private static string NormalizeSan(string entry) =>
        entry.StartsWith("IP Address:", StringComparison.Ordinal) ? "IP Address:" + IPAddress.Parse(entry["IP Address:".Length..]) : entry;
}
