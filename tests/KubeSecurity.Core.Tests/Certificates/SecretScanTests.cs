using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Certificates;

/// <summary>
/// Secrets are scanned for PEM certificates without decoding every value: the marker is looked
/// for in the base64 text at each alignment. Whatever precedes the certificate, it must be found.
/// </summary>
public class SecretScanTests
{
    private static readonly string CertificatePem = CreatePem();

    private static string CreatePem()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 certificate = new CertificateRequest("CN=scan-test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return certificate.ExportCertificatePem();
    }

    private static List<CertificateInfo> Scan(string base64)
    {
        string yaml = $"""
            ---
            apiVersion: v1
            kind: Secret
            metadata: {"{"}name: bundle, namespace: app{"}"}
            type: Opaque
            data:
              ca-bundle: "{base64}"
            """;
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(RbacFixtures.FromYaml(yaml + "\n"));
        return inventory.Build(DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("")]
    [InlineData("#")]
    [InlineData("# a")]
    [InlineData("# bundle of the platform team\n")]
    public void A_certificate_after_any_number_of_bytes_is_found(string before)
    {
        string base64 = Convert.ToBase64String(Encoding.ASCII.GetBytes(before + CertificatePem));
        Assert.Equal("CN=scan-test", Assert.Single(Scan(base64)).Subject);
    }

    [Fact]
    public void Base64_broken_into_lines_is_still_decoded_and_searched()
    {
        string base64 = Convert.ToBase64String(Encoding.ASCII.GetBytes("xy" + CertificatePem), Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\\n", StringComparison.Ordinal);
        Assert.Single(Scan(base64));
    }

    [Fact]
    public void Values_without_a_certificate_yield_nothing() =>
        Assert.Empty(Scan(Convert.ToBase64String(Encoding.ASCII.GetBytes("-----BEGIN RSA PRIVATE KEY----- is not a certificate"))));
}
