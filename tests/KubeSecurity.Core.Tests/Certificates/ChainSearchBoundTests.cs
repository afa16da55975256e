using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Certificates;

/// <summary>
/// Chain building over many certificates that share the issuer's name: bounded per certificate (as
/// Go's verifier is), and the right issuer found first when key identifiers say which one it is.
/// </summary>
public class ChainSearchBoundTests
{
    private const int SameNamed = CertificateInventory.MaxSignatureChecks + 50;

    [Fact]
    public void A_bundle_of_many_same_named_CAs_is_decided_within_the_check_limit_and_says_so()
    {
        var pem = new StringBuilder();
        for (int i = 0; i < SameNamed; i++)
        {
            using X509Certificate2 ca = Authority(out ECDsa key);
            key.Dispose();
            pem.Append(ca.ExportCertificatePem()).Append('\n');
        }

        using X509Certificate2 hidden = Authority(out ECDsa hiddenKey);
        using (hiddenKey)
        {
            for (int i = 0; i < 3; i++)
            {
                pem.Append(Leaf(hidden, $"victim-{i}", withAuthorityKeyId: false).ExportCertificatePem()).Append('\n');
            }
        }

        var inventory = new CertificateInventory();
        inventory.AddBytes(Encoding.ASCII.GetBytes(pem.ToString()), "hostile.pem", CertificateSourceKind.File, null, null, null);
        List<CertificateInfo> certificates = inventory.Build(DateTimeOffset.UtcNow);

        Assert.All(certificates.Where(c => c.Subject.StartsWith("CN=victim", StringComparison.Ordinal)), c => Assert.Equal(CertificateChainStatus.IssuerNotFound, c.ChainStatus));
        CertificateProblem problem = Assert.Single(inventory.Problems);
        Assert.Equal("CN=same-name-ca", problem.Source);
        Assert.Contains("3 certificate(s)", problem.Message, StringComparison.Ordinal);
        Assert.Contains($"{CertificateInventory.MaxSignatureChecks} signature checks", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_issuer_named_by_the_authority_key_id_is_found_even_among_many_same_named_CAs()
    {
        var pem = new StringBuilder();
        using X509Certificate2 real = Authority(out ECDsa realKey);
        realKey.Dispose();
        for (int i = 0; i < SameNamed; i++)
        {
            using X509Certificate2 decoy = Authority(out ECDsa key);
            key.Dispose();
            pem.Append(decoy.ExportCertificatePem()).Append('\n');
        }

        pem.Append(real.ExportCertificatePem()).Append('\n');
        pem.Append(Leaf(real, "service", withAuthorityKeyId: true).ExportCertificatePem()).Append('\n');

        var inventory = new CertificateInventory();
        inventory.AddBytes(Encoding.ASCII.GetBytes(pem.ToString()), "bundle.pem", CertificateSourceKind.File, null, null, null);
        CertificateInfo leaf = inventory.Build(DateTimeOffset.UtcNow).Single(c => c.Subject == "CN=service");

        Assert.Equal(CertificateChainStatus.Verified, leaf.ChainStatus);
        Assert.Empty(inventory.Problems);
    }

    private static X509Certificate2 Authority(out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=same-name-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Leaf(X509Certificate2 issuer, string name, bool withAuthorityKeyId)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        if (withAuthorityKeyId)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        }

        return request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));
    }
}
