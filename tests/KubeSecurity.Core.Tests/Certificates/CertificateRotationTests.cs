using System.Security.Cryptography.X509Certificates;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using static KubeSecurity.Core.Tests.Certificates.CertificateFixtures;

namespace KubeSecurity.Core.Tests.Certificates;

public class CertificateRotationTests
{
    private static List<CertificateInfo> Inventory(params KubeObject[] objects)
    {
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(Snapshot(objects));
        Assert.Empty(inventory.Problems);
        return inventory.Build(Now);
    }

    [Fact]
    public void A_rotation_in_progress_names_what_remains_and_is_not_safe_to_finish()
    {
        X509Certificate2 oldCa = Ca("CN=cluster-ca"), newCa = Ca("CN=cluster-ca");
        X509Certificate2 stale = Leaf(oldCa, "CN=webhook", new[] { "webhook.svc" });
        X509Certificate2 early = Leaf(newCa, "CN=api", new[] { "api.svc" }, from: Now.AddDays(-20));
        X509Certificate2 fresh = Leaf(newCa, "CN=metrics", new[] { "metrics.svc" }, from: Now.AddDays(-1));
        List<CertificateInfo> certificates = Inventory(
            TlsSecret("sys", "webhook-tls", Pem(stale), KeyPem(stale)),
            TlsSecret("sys", "api-tls", Pem(early), KeyPem(early)),
            TlsSecret("sys", "metrics-tls", Pem(fresh), KeyPem(fresh)),
            CaBundle("sys", "old-only", oldCa),
            CaBundle("sys", "both", oldCa, newCa));
        CertificateInfo newInfo = certificates.First(c => c.Thumbprint == Convert.ToHexString(newCa.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)));

        (List<Finding> findings, RotationSummary summary) = CertificateRotationAnalyzer.Analyze(certificates, newInfo, null, Now.AddDays(-5));

        Assert.Equal(("Secret/sys/webhook-tls", RotationRules.IssuedByOldCa), (Assert.Single(findings, f => f.RuleId == RotationRules.IssuedByOldCa).Resource.ToString(), RotationRules.IssuedByOldCa));
        Assert.Equal("Secret/sys/api-tls", Assert.Single(findings, f => f.RuleId == RotationRules.IssuedBeforeRotation).Resource.ToString());
        Finding trust = Assert.Single(findings, f => f.RuleId == RotationRules.NewCaNotTrusted);
        Assert.Equal("ConfigMap/sys/old-only", trust.Resource.ToString());
        Assert.Contains("trusts only the old CA", trust.Message, StringComparison.Ordinal);

        Assert.False(summary.SafeToRemoveOldCa);
        Assert.Equal((1, 1, 1, 1), (summary.CertificatesFromOldCa, summary.CertificatesIssuedBeforeRotation, summary.TrustStoresWithoutNewCa, summary.TrustStoresStillTrustingOldCa));
        Assert.Single(summary.OldCertificateAuthorities);
    }

    [Fact]
    public void A_finished_rotation_is_safe_and_a_renamed_ca_needs_the_old_one_named()
    {
        X509Certificate2 oldCa = Ca("CN=ca-2020"), newCa = Ca("CN=ca-2027");
        X509Certificate2 leaf = Leaf(newCa, "CN=api", new[] { "api.svc" });
        List<CertificateInfo> certificates = Inventory(TlsSecret("sys", "api-tls", Pem(leaf), KeyPem(leaf)), CaBundle("sys", "trust", oldCa, newCa));
        CertificateInfo newInfo = certificates.Single(c => c.Subject == "CN=ca-2027");
        CertificateInfo oldInfo = certificates.Single(c => c.Subject == "CN=ca-2020");

        (List<Finding> unnamed, RotationSummary guess) = CertificateRotationAnalyzer.Analyze(certificates, newInfo, null, null);
        Assert.Empty(unnamed);
        Assert.False(guess.SafeToRemoveOldCa);
        Assert.Contains(guess.Reasons, r => r.Contains("-OldCertificateAuthority", StringComparison.Ordinal));

        (List<Finding> findings, RotationSummary summary) = CertificateRotationAnalyzer.Analyze(certificates, newInfo, new[] { oldInfo }, null);
        Assert.Empty(findings);
        Assert.True(summary.SafeToRemoveOldCa);
        Assert.Equal(1, summary.TrustStoresStillTrustingOldCa);
    }
}
