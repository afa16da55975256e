using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;
using X509CertificateParser = Org.BouncyCastle.X509.X509CertificateParser;
using static KubeSecurity.Core.Tests.Certificates.CertificateFixtures;

namespace KubeSecurity.Core.Tests.Certificates;

/// <summary>Chains are judged as the API server's verifier judges them: a signature from a non-CA does not make a chain.</summary>
public class ChainVerifierTests
{
    private static X509Certificate Bc(X509Certificate2 certificate) => new X509CertificateParser().ReadCertificate(certificate.RawData);

    [Fact]
    public void A_certificate_signed_by_a_leaf_is_not_a_chain_although_the_signature_verifies()
    {
        using X509Certificate2 ca = Ca("CN=Real CA");
        using X509Certificate2 leaf = Leaf(ca, "CN=ordinary-leaf");
        using X509Certificate2 signedByLeaf = Leaf(leaf, "CN=signed-by-leaf");

        Assert.True(ChainVerifier.SignedBy(Bc(signedByLeaf), Bc(leaf)));
        Assert.False(ChainVerifier.MayIssue(Bc(leaf)));
        Assert.False(ChainVerifier.VerifiesTo(Bc(signedByLeaf), new[] { Bc(leaf) }, new[] { Bc(ca) }));
        Assert.True(ChainVerifier.VerifiesTo(Bc(leaf), Array.Empty<X509Certificate>(), new[] { Bc(ca) }));

        // openssl agrees: the leaf is no CA.
        string dir = Path.Combine(Path.GetTempPath(), "ksec-chain-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "ca.pem"), Pem(ca));
        File.WriteAllText(Path.Combine(dir, "untrusted.pem"), Pem(leaf));
        File.WriteAllText(Path.Combine(dir, "cert.pem"), Pem(signedByLeaf));
        (int exit, string output) = Openssl(dir, "verify", "-CAfile", "ca.pem", "-untrusted", "untrusted.pem", "cert.pem");
        Assert.True(exit != 0, output);
        Assert.Contains("invalid CA certificate", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_inventory_calls_a_chain_from_a_non_CA_signer_IssuerNotCA_and_the_audit_reports_it()
    {
        using X509Certificate2 ca = Ca("CN=Real CA");
        using X509Certificate2 leaf = Leaf(ca, "CN=ordinary-leaf");
        using X509Certificate2 signedByLeaf = Leaf(leaf, "CN=signed-by-leaf");
        KubeSnapshot snapshot = Snapshot(TlsSecret("apps", "chained", Pem(signedByLeaf) + Pem(leaf)), CaBundle("apps", "ca", ca));
        List<Finding> findings = Check(snapshot);
        Finding finding = Assert.Single(findings, f => f.RuleId == CertificateRules.SignatureInvalid);
        Assert.Contains("not a CA", finding.Message, StringComparison.Ordinal);
        Assert.Contains("CN=ordinary-leaf", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.RuleId == CertificateRules.SignatureInvalid && f.Message.Contains("'CN=ordinary-leaf' is signed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("shop.demo.example", true)]
    [InlineData("SHOP.demo.example", true)]
    [InlineData("api.shop.demo.example", true)]
    [InlineData("a.b.shop.demo.example", false)]
    [InlineData("shop.demo.example.evil", false)]
    [InlineData("cn-only.example", false)]
    public void Host_matching_follows_RFC_6125_without_the_common_name(string host, bool covered)
    {
        using X509Certificate2 certificate = Leaf(null, "CN=cn-only.example", new[] { "shop.demo.example", "*.shop.demo.example" });
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(Snapshot(TlsSecret("apps", "web", Pem(certificate))));
        CertificateInfo info = Assert.Single(inventory.Build(Now));
        Assert.Equal(covered, CertificateAnalyzer.Covers(info, host));
    }

    private static (int Exit, string Output) Openssl(string dir, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("openssl") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
