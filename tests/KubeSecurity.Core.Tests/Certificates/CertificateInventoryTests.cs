using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Certificates;

public class CertificateInventoryTests
{
    private static readonly DateTimeOffset DemoDate = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);

    private static KubeSnapshot Demo()
    {
        ManifestReadResult read = new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster });
        return SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DemoDate, read.Objects, null, null, false, read.Sources, out _);
    }

    [Fact]
    public void The_demo_cluster_certificates_are_found_where_they_are_used()
    {
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(Demo());
        List<CertificateInfo> certificates = inventory.Build(DemoDate);

        Assert.Empty(inventory.Problems);
        CertificateInfo expired = Assert.Single(certificates, c => c.Source == "Secret shop/shop-tls-legacy key tls.crt");
        Assert.True(expired.IsExpired);
        Assert.Equal(new ResourceRef("Secret", "shop", "shop-tls-legacy"), expired.Resource);
        // Its issuer, the legacy CA, is in the monitoring CA bundle, so the chain can be checked.
        Assert.Equal((CertificateChainStatus.Verified, "O=Demo Corp, CN=demo-legacy-ca"), (expired.ChainStatus, expired.VerifiedBy));

        CertificateInfo expiring = Assert.Single(certificates, c => c.Source == "Secret shop/shop-tls key tls.crt");
        Assert.Equal(26, expiring.DaysRemaining);
        Assert.Equal(new[] { "DNS:shop.demo.example", "DNS:www.shop.demo.example" }, expiring.SubjectAlternativeNames);
        Assert.Equal((CertificateChainStatus.Verified, "O=Demo Corp, CN=demo-platform-ca"), (expiring.ChainStatus, expiring.VerifiedBy));

        Assert.Equal(2, certificates.Count(c => c.Source.StartsWith("ConfigMap monitoring/trusted-ca-bundle key ca-bundle.crt", StringComparison.Ordinal)));
        Assert.Contains(certificates, c => c.Source == "ValidatingWebhookConfiguration policy-guard webhook validate.policy-guard.demo.example caBundle");
        Assert.Contains(certificates, c => c.Source == "APIService v1beta1.metrics.k8s.io caBundle" && c.IsCertificateAuthority && c.IsSelfSigned);
        Assert.DoesNotContain(certificates, c => c.Source.Contains("tls.key", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_input_is_reported_per_source_and_the_good_certificates_still_come_through()
    {
        string directory = TestPaths.TempDirectory();
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=good", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 good = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        string goodPem = Path.Combine(directory, "good.pem");
        File.WriteAllText(goodPem, good.ExportCertificatePem());
        string garbage = Path.Combine(directory, "garbage.pem");
        File.WriteAllText(garbage, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        string truncated = Path.Combine(directory, "truncated.der");
        File.WriteAllBytes(truncated, good.RawData[..(good.RawData.Length / 2)]);
        string pfx = Path.Combine(directory, "bundle.p12");
        File.WriteAllBytes(pfx, good.Export(X509ContentType.Pkcs12, "right-password"));

        string keyOnly = Path.Combine(directory, "tls.key");
        File.WriteAllText(keyOnly, key.ExportPkcs8PrivateKeyPem());
        string junk = Path.Combine(directory, "junk.bin");
        using (FileStream stream = File.Create(junk))
        {
            stream.SetLength(100L * 1024 * 1024);
        }

        var inventory = new CertificateInventory();
        foreach (string file in new[] { goodPem, garbage, truncated, pfx, keyOnly, junk })
        {
            inventory.AddFile(file, null);
        }

        inventory.AddFile(pfx, "wrong-password".ToCharArray());
        inventory.AddFile(pfx, "right-password".ToCharArray());
        List<CertificateInfo> certificates = inventory.Build(DateTimeOffset.UtcNow);

        Assert.Equal(2, certificates.Count(c => c.Subject == "CN=good"));
        string Problem(string file) => Assert.Single(inventory.Problems, p => p.Source == file).Message;
        Assert.Contains("PEM block 1 (CERTIFICATE) is not a valid certificate", Problem(garbage), StringComparison.Ordinal);
        Assert.Contains("not a certificate in any supported encoding", Problem(truncated), StringComparison.Ordinal);
        Assert.Contains("no certificate was found", Problem(keyOnly), StringComparison.Ordinal);
        Assert.Contains("over the", Problem(junk), StringComparison.Ordinal);
        Assert.Contains(inventory.Problems, p => p.Source == pfx && p.Message.Contains("pass it with -Password", StringComparison.Ordinal));
        Assert.Contains(inventory.Problems, p => p.Source == pfx && p.Message.Contains("password is wrong", StringComparison.Ordinal));
        Assert.DoesNotContain(inventory.Problems, p => p.Message.Contains("BEGIN PRIVATE KEY", StringComparison.Ordinal));
    }
}
