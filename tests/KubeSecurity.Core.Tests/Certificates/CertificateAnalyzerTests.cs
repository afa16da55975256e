using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;
using static KubeSecurity.Core.Tests.Certificates.CertificateFixtures;

namespace KubeSecurity.Core.Tests.Certificates;

public class CertificateAnalyzerTests
{
    private static readonly X509Certificate2 Root = Ca("CN=fixture-ca");

    private static List<Finding> CheckLeaf(X509Certificate2 leaf, int warningDays = 30) =>
        Check(Snapshot(TlsSecret("app", "tls", Pem(leaf), KeyPem(leaf)), CaBundle("app", "ca", Root)), warningDays);

    private static List<string> RuleIds(IEnumerable<Finding> findings) => findings.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void A_healthy_leaf_from_a_known_ca_has_no_findings()
    {
        Assert.Empty(CheckLeaf(Leaf(Root, "CN=ok.example", new[] { "ok.example" })));
    }

    [Fact]
    public void Expired_expiring_critical_and_not_yet_valid_certificates_are_reported()
    {
        Finding expired = Assert.Single(CheckLeaf(Leaf(Root, "CN=old", new[] { "old" }, Now.AddDays(-400), Now.AddDays(-3))));
        Assert.Equal((CertificateRules.Expired, Severity.Critical, "Secret/app/tls"), (expired.RuleId, expired.Severity, expired.Resource.ToString()));
        Assert.Contains("3 days ago", expired.Message, StringComparison.Ordinal);

        Finding soon = Assert.Single(CheckLeaf(Leaf(Root, "CN=soon", new[] { "soon" }, to: Now.AddDays(20))));
        Assert.Equal((CertificateRules.ExpiresSoon, Severity.High), (soon.RuleId, soon.Severity));
        Assert.Equal(Severity.Critical, Assert.Single(CheckLeaf(Leaf(Root, "CN=days", new[] { "days" }, to: Now.AddDays(3)))).Severity);
        Assert.Empty(CheckLeaf(Leaf(Root, "CN=later", new[] { "later" }, to: Now.AddDays(20)), warningDays: 10));

        Assert.Equal(CertificateRules.NotYetValid, Assert.Single(CheckLeaf(Leaf(Root, "CN=future", new[] { "future" }, Now.AddDays(2), Now.AddDays(90)))).RuleId);
    }

    [Fact]
    public void Weak_keys_and_sha1_signatures_are_reported()
    {
        Assert.Equal(new[] { CertificateRules.WeakKey }, RuleIds(CheckLeaf(Leaf(Root, "CN=weak", new[] { "weak" }, rsaBits: 1024))));
        Assert.Equal(new[] { CertificateRules.WeakSignature }, RuleIds(CheckLeaf(Leaf(Root, "CN=sha1", new[] { "sha1" }, hash: HashAlgorithmName.SHA1))));
    }

    [Fact]
    public void Server_certificates_without_subject_alternative_names_are_reported()
    {
        Finding finding = Assert.Single(CheckLeaf(Leaf(Root, "CN=cn-only.example")));
        Assert.Equal(CertificateRules.NoSubjectAlternativeName, finding.RuleId);
        Assert.Contains("CN=cn-only.example", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tls_secret_whose_key_belongs_to_another_certificate_is_reported_without_revealing_the_key()
    {
        X509Certificate2 served = Leaf(Root, "CN=served", new[] { "served" });
        X509Certificate2 other = Leaf(Root, "CN=other", new[] { "other" });
        List<Finding> findings = Check(Snapshot(TlsSecret("app", "tls", Pem(served), KeyPem(other)), CaBundle("app", "ca", Root)));

        Finding mismatch = Assert.Single(findings);
        Assert.Equal((CertificateRules.KeyMismatch, "Secret/app/tls"), (mismatch.RuleId, mismatch.Resource.ToString()));
        string everything = mismatch.Message + string.Join(" ", mismatch.Evidence.Values);
        Assert.DoesNotContain("PRIVATE KEY", everything, StringComparison.Ordinal);

        Assert.Equal(KeyMatch.Matches, PrivateKeyMatcher.Check(System.Text.Encoding.ASCII.GetBytes(KeyPem(served)), CertificateReader.Read(System.Text.Encoding.ASCII.GetBytes(Pem(served))).Certificates[0]));
    }

    [Fact]
    public void A_signature_that_does_not_verify_and_a_ca_that_expires_first_are_reported()
    {
        X509Certificate2 oldCa = Ca("CN=rotated-ca");
        X509Certificate2 newCa = Ca("CN=rotated-ca");
        X509Certificate2 leaf = Leaf(oldCa, "CN=orphan", new[] { "orphan" });
        Assert.Contains(CertificateRules.SignatureInvalid, RuleIds(Check(Snapshot(TlsSecret("app", "tls", Pem(leaf), KeyPem(leaf)), CaBundle("app", "ca", newCa)))));

        X509Certificate2 shortCa = Ca("CN=short-ca", to: Now.AddDays(100));
        X509Certificate2 longLeaf = Leaf(shortCa, "CN=outlives", new[] { "outlives" }, to: Now.AddDays(200));
        Finding first = Assert.Single(Check(Snapshot(TlsSecret("app", "tls", Pem(longLeaf), KeyPem(longLeaf)), CaBundle("app", "ca", shortCa))));
        Assert.Equal(CertificateRules.IssuerExpiresFirst, first.RuleId);
    }

    [Fact]
    public void Ingress_wiring_problems_are_reported_on_the_ingress()
    {
        X509Certificate2 good = Leaf(Root, "CN=shop", new[] { "shop.example", "*.shop.example" });
        KubeObject goodSecret = TlsSecret("web", "shop-tls", Pem(good), KeyPem(good));
        Assert.Empty(Check(Snapshot(goodSecret, CaBundle("web", "ca", Root), Ingress("web", "shop", "shop-tls", "shop.example", "www.shop.example"))));

        List<Finding> uncovered = Check(Snapshot(goodSecret, CaBundle("web", "ca", Root), Ingress("web", "shop", "shop-tls", "api.example", "a.b.shop.example")));
        Finding host = Assert.Single(uncovered);
        Assert.Equal((CertificateRules.IngressHostNotCovered, "Ingress/web/shop"), (host.RuleId, host.Resource.ToString()));
        Assert.Contains("api.example, a.b.shop.example", host.Message, StringComparison.Ordinal);

        Finding missing = Assert.Single(Check(Snapshot(Ingress("web", "shop", "nope", "shop.example"), new KubeObject[] { goodSecret }[0])));
        Assert.Equal(CertificateRules.IngressSecretMissing, missing.RuleId);

        X509Certificate2 selfSigned = Leaf(null, "CN=self", new[] { "self.example" }, to: Now.AddDays(800));
        List<string> rules = RuleIds(Check(Snapshot(TlsSecret("web", "self", Pem(selfSigned), KeyPem(selfSigned)), Ingress("web", "self", "self", "self.example"))));
        Assert.Equal(new[] { CertificateRules.IngressValidityTooLong, CertificateRules.IngressSelfSigned }.Order(StringComparer.Ordinal), rules);
    }

    [Fact]
    public void A_missing_secret_is_not_reported_when_secrets_were_not_collected()
    {
        var partial = new KubeSnapshot(SnapshotSource.Live, null, null, null, Now, new[] { Ingress("web", "shop", "shop-tls", "shop.example") },
            new[] { new MissingKind("Secret", "forbidden", 403) });
        Assert.Empty(CertificateAnalyzer.Analyze(partial, Array.Empty<CertificateInfo>(), new CertificateCheckOptions { AsOf = Now }));
    }

    [Fact]
    public void Two_certificates_with_one_serial_under_one_issuer_are_reported()
    {
        byte[] serial = { 0x10, 0x00 };
        X509Certificate2 a = Leaf(Root, "CN=a", new[] { "a" }, serial: serial), b = Leaf(Root, "CN=b", new[] { "b" }, serial: serial);
        Finding duplicate = Assert.Single(Check(Snapshot(TlsSecret("x", "a", Pem(a), KeyPem(a)), TlsSecret("x", "b", Pem(b), KeyPem(b)), CaBundle("x", "ca", Root))));
        Assert.Equal(CertificateRules.DuplicateSerial, duplicate.RuleId);
        Assert.Equal(2, duplicate.Evidence.Keys.Count(k => k.StartsWith("Certificate", StringComparison.Ordinal) && k != "Certificate"));
    }

    [Fact]
    public async Task Kubeconfig_client_certificates_are_reported_critical_for_system_masters()
    {
        await using var server = new KubeApiTestServer();
        string kubeconfig = server.WriteKubeconfig(Path.Combine(TestPaths.TempDirectory(), "config"));
        var inventory = new CertificateInventory();
        inventory.AddKubeconfig(kubeconfig, "test-cert");
        List<Finding> findings = CertificateAnalyzer.Analyze(Snapshot(), inventory.Build(DateTimeOffset.UtcNow), new CertificateCheckOptions());

        // The test PKI's certificates live a day or two, so expiry findings come too; this is about the credential.
        Finding client = Assert.Single(findings, f => f.RuleId == CertificateRules.KubeconfigClientCertificate);
        Assert.Equal((CertificateRules.KubeconfigClientCertificate, Severity.Critical, "Kubeconfig"), (client.RuleId, client.Severity, client.Kind));
        Assert.Contains("system:masters", client.Message, StringComparison.Ordinal);
        Assert.Contains("CIS Kubernetes Benchmark 3.1.1", client.References);
    }

    [Fact]
    public void Every_planted_certificate_problem_of_the_demo_cluster_is_found()
    {
        ManifestReadResult read = new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster });
        KubeSnapshot demo = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, Now, read.Objects, null, null, false, read.Sources, out _);
        List<Finding> findings = Check(demo);

        // DEMO-CERT-1 and DEMO-CERT-2 (samples/demo-cluster/README.md).
        Assert.Contains(findings, f => f.RuleId == CertificateRules.Expired && f.Resource == new ResourceRef("Secret", "shop", "shop-tls-legacy"));
        Finding expiring = Assert.Single(findings, f => f.RuleId == CertificateRules.ExpiresSoon);
        Assert.Equal((new ResourceRef("Secret", "shop", "shop-tls"), Severity.High), (expiring.Resource, expiring.Severity));

        // DEMO-CERT-5: the policy-guard webhook's caBundle does not verify what its pods serve.
        Finding webhook = Assert.Single(findings, f => f.RuleId == CertificateRules.WebhookCaBundleMismatch);
        Assert.Equal(("ValidatingWebhookConfiguration/policy-guard", "policy-guard-tls"), (webhook.Resource.ToString(), webhook.Evidence["Secret"]));

        // Nothing else is wrong with the demo's certificates: keys match, hosts are covered.
        Assert.Equal(new[] { CertificateRules.Expired, CertificateRules.ExpiresSoon, CertificateRules.WebhookCaBundleMismatch }, RuleIds(findings));
    }

    [Fact]
    public void A_webhook_caBundle_that_does_not_verify_the_served_certificate_is_reported()
    {
        X509Certificate2 servingCa = Ca("CN=webhook-ca"), otherCa = Ca("CN=other-ca");
        X509Certificate2 serving = Leaf(servingCa, "CN=guard.policy.svc", new[] { "guard.policy.svc" });
        KubeObject secret = TlsSecret("policy", "guard-tls", Pem(serving), KeyPem(serving));
        KubeObject service = Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"guard","namespace":"policy"},"spec":{"selector":{"app":"guard"}}}""");
        KubeObject deployment = Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"guard","namespace":"policy"},"spec":{"template":{"metadata":{"labels":{"app":"guard"}},"spec":{"containers":[{"name":"g","image":"g:1"}],"volumes":[{"name":"tls","secret":{"secretName":"guard-tls"}}]}}}}""");
        KubeObject Webhook(X509Certificate2 ca) => Parse($$$"""{"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration","metadata":{"name":"guard"},"webhooks":[{"name":"validate.guard","clientConfig":{"service":{"namespace":"policy","name":"guard"},"caBundle":"{{{Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Pem(ca)))}}}"}}]}""");

        Finding mismatch = Assert.Single(Check(Snapshot(secret, service, deployment, Webhook(otherCa))), f => f.RuleId == CertificateRules.WebhookCaBundleMismatch);
        Assert.Equal("ValidatingWebhookConfiguration/guard", mismatch.Resource.ToString());
        Assert.Equal("guard-tls", mismatch.Evidence["Secret"]);
        Assert.DoesNotContain(Check(Snapshot(secret, service, deployment, Webhook(servingCa))), f => f.RuleId == CertificateRules.WebhookCaBundleMismatch);
    }

    [Fact]
    public void With_an_expected_ca_certificates_from_elsewhere_are_reported()
    {
        X509Certificate2 otherCa = Ca("CN=elsewhere-ca");
        X509Certificate2 ours = Leaf(Root, "CN=ours", new[] { "ours" }), theirs = Leaf(otherCa, "CN=theirs", new[] { "theirs" });
        KubeSnapshot snapshot = Snapshot(TlsSecret("x", "ours", Pem(ours), KeyPem(ours)), TlsSecret("x", "theirs", Pem(theirs), KeyPem(theirs)), CaBundle("x", "ca", Root, otherCa));
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(snapshot);
        List<CertificateInfo> certificates = inventory.Build(Now);
        CertificateInfo expected = certificates.First(c => c.Subject == "CN=fixture-ca");

        List<Finding> findings = CertificateAnalyzer.Analyze(snapshot, certificates, new CertificateCheckOptions { AsOf = Now, TrustedAuthorities = new[] { expected } });
        Finding elsewhere = Assert.Single(findings);
        Assert.Equal((CertificateRules.NotFromTrustedCa, "Secret/x/theirs"), (elsewhere.RuleId, elsewhere.Resource.ToString()));
    }

    [Fact]
    public void A_key_of_an_unsupported_type_is_a_problem_naming_the_secret_not_a_false_mismatch()
    {
        X509Certificate2 served = Leaf(Root, "CN=dsa-key", new[] { "dsa" });
        using DSA dsa = DSA.Create(2048);
        KubeSnapshot snapshot = Snapshot(TlsSecret("app", "odd", Pem(served), dsa.ExportPkcs8PrivateKeyPem()), CaBundle("app", "ca", Root));
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(snapshot);
        var problems = new List<CertificateProblem>();

        List<Finding> findings = CertificateAnalyzer.Analyze(snapshot, inventory.Build(Now), new CertificateCheckOptions { AsOf = Now }, problems);

        Assert.Empty(findings);
        CertificateProblem problem = Assert.Single(problems);
        Assert.Equal("Secret app/odd key tls.key", problem.Source);
        Assert.Contains("does not support", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Building_a_tls_secret_with_a_key_of_an_unsupported_type_is_not_called_a_mismatch()
    {
        X509Certificate2 served = Leaf(Root, "CN=dsa-secret", new[] { "dsa" });
        using DSA dsa = DSA.Create(2048);
        TlsMaterialException error = Assert.Throws<TlsMaterialException>(() => TlsSecretBuilder.Build("app", "odd", Pem(served), dsa.ExportPkcs8PrivateKeyPem(), null));
        Assert.False(error.KeyMismatch);
        Assert.Contains("cannot be checked", error.Message, StringComparison.Ordinal);
    }
}
