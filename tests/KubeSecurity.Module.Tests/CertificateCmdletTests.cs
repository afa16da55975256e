using System.Management.Automation;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Module.Tests;

public class CertificateCmdletTests
{
    [Fact]
    public void Demo_cluster_certificates_come_out_sorted_by_expiry_and_filter_by_days()
    {
        using var session = new ModuleSession();
        List<CertificateInfo> all = session.Run("Get-KubeCertificate -Path $args[0]", ModuleSession.DemoCluster).Select(o => (CertificateInfo)o.BaseObject).ToList();

        Assert.Empty(session.Errors);
        Assert.True(all.Count >= 10, $"{all.Count} certificates");
        Assert.Equal(all.OrderBy(c => c.NotAfter).Select(c => c.Thumbprint), all.Select(c => c.Thumbprint));
        Assert.Equal("Secret shop/shop-tls-legacy key tls.crt", all[0].Source);

        List<CertificateInfo> soon = session.Run("Get-KubeSnapshot -Path $args[0] | Get-KubeCertificate -ExpiringWithinDays 90", ModuleSession.DemoCluster).Select(o => (CertificateInfo)o.BaseObject).ToList();
        Assert.All(soon, c => Assert.True(c.DaysRemaining <= 90));
        Assert.Contains(soon, c => c.Source == "Secret shop/shop-tls-legacy key tls.crt");
    }

    [Fact]
    public void Certificate_files_and_folders_mix_with_manifests_and_bad_files_are_errors_naming_them()
    {
        string directory = ModuleSession.TempDirectory();
        string pki = Path.Combine(directory, "pki");
        Directory.CreateDirectory(pki);
        string caText = File.ReadAllText(Path.Combine(ModuleSession.DemoCluster, "kube-system.yaml"));
        int start = caText.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        int end = caText.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal) + "-----END CERTIFICATE-----".Length;
        File.WriteAllText(Path.Combine(pki, "ca.crt"), string.Join("\n", caText[start..end].Split('\n').Select(l => l.Trim())) + "\n");
        File.WriteAllText(Path.Combine(pki, "broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        File.WriteAllText(Path.Combine(pki, "ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: from-manifest}\n");

        using var session = new ModuleSession();
        List<CertificateInfo> certificates = session.Run("Get-KubeCertificate -Path $args[0]", pki).Select(o => (CertificateInfo)o.BaseObject).ToList();

        CertificateInfo ca = Assert.Single(certificates);
        Assert.Equal("O=Demo Corp, CN=demo-platform-ca", ca.Subject);
        Assert.Equal(Path.Combine(pki, "ca.crt"), ca.Source);
        ErrorRecord error = Assert.Single(session.Errors);
        Assert.Equal("CertificateUnreadable,KubeSecurity.Commands.GetKubeCertificateCommand", error.FullyQualifiedErrorId);
        Assert.Equal(Path.Combine(pki, "broken.pem"), error.TargetObject);
    }

    [Fact]
    public async Task Live_it_lists_the_kubeconfig_certificates_and_the_chain_the_api_server_presents()
    {
        await using KubeApiTestServer server = await KubeApiTestServer.StartAsync(Array.Empty<System.Text.Json.Nodes.JsonObject>());
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        using var session = new ModuleSession();
        List<CertificateInfo> certificates = session.Run("Get-KubeCertificate -Kubeconfig $args[0]", kubeconfig).Select(o => (CertificateInfo)o.BaseObject).ToList();

        Assert.Empty(session.Errors);
        Assert.Contains(certificates, c => c.Source == $"kubeconfig {kubeconfig} cluster kubesecurity-test certificate-authority" && c.IsSelfSigned);
        CertificateInfo client = Assert.Single(certificates, c => c.Source == $"kubeconfig {kubeconfig} user test-admin client-certificate");
        Assert.Equal("O=system:masters, CN=test-admin", client.Subject); // encoded order, as openssl prints it
        Assert.Equal(CertificateChainStatus.Verified, client.ChainStatus);
        CertificateInfo serving = Assert.Single(certificates, c => c.Source.StartsWith($"API server https://127.0.0.1:{server.BaseAddress.Port} TLS chain", StringComparison.Ordinal));
        Assert.Contains("IP Address:127.0.0.1", serving.SubjectAlternativeNames);
        Assert.Equal((CertificateChainStatus.Verified, "CN=kubesecurity-test-ca"), (serving.ChainStatus, serving.VerifiedBy));
    }

    [Fact]
    public void Test_KubeCertificate_reports_the_demo_problems_most_severe_first_and_answers_quietly()
    {
        using var session = new ModuleSession();
        List<Finding> findings = session.Run("Test-KubeCertificate -Path $args[0] -AsOf '2026-12-20'", ModuleSession.DemoCluster).Select(o => (Finding)o.BaseObject).ToList();

        Assert.Empty(session.Errors);
        // Most severe first: the expired certificate and the system:masters request, then the expiring
        // certificate and the webhook whose caBundle does not verify its backend, then the stale request.
        Assert.Equal(new[] { "KSEC-CERT-001", "KSEC-CSR-001", "KSEC-CERT-002", "KSEC-CERT-016", "KSEC-CSR-003" }, findings.Select(f => f.RuleId));
        Assert.Equal(("Secret", "shop", "shop-tls-legacy", Severity.Critical), (findings[0].Kind, findings[0].Namespace, findings[0].Name, findings[0].Severity));
        Assert.Equal(("CertificateSigningRequest", "ci-bot-client"), (findings[1].Kind, findings[1].Name));
        Assert.Equal("shop-tls", findings[2].Name);

        Assert.False((bool)session.Run("Test-KubeCertificate -Path $args[0] -AsOf '2026-12-20' -MinimumSeverity High -Quiet", ModuleSession.DemoCluster).Single().BaseObject);
        Assert.Equal(2, session.Run("Test-KubeCertificate -Path $args[0] -AsOf '2026-12-20' -MinimumSeverity Critical", ModuleSession.DemoCluster).Count);

        // After 2027-01-15 the soon-expiring certificate has expired too.
        List<Finding> later = session.Run("Test-KubeCertificate -Path $args[0] -AsOf '2027-01-20'", ModuleSession.DemoCluster).Select(o => (Finding)o.BaseObject).ToList();
        Assert.Equal(new[] { "shop-tls", "shop-tls-legacy" }, later.Where(f => f.RuleId == "KSEC-CERT-001").Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Get_KubeCertificateSigningRequest_decodes_the_request_and_filters_by_condition()
    {
        using var session = new ModuleSession();
        CertificateSigningRequestInfo request = (CertificateSigningRequestInfo)session.Run("Get-KubeCertificateSigningRequest -Path $args[0] -Condition Pending", ModuleSession.DemoCluster).Single().BaseObject;

        Assert.Equal(("ci-bot-client", "O=system:masters, CN=ci-bot", "ci-runner"), (request.Name, request.RequestedSubject, request.Username));
        Assert.Equal(new[] { "system:masters" }, request.Groups);
        Assert.Equal(("EC", 256, "P-256"), (request.KeyAlgorithm, request.KeySize, request.Curve));
        Assert.Equal("kubernetes.io/kube-apiserver-client", request.SignerName);
        Assert.Equal(new[] { "client auth" }, request.Usages);
        Assert.Empty(session.Run("Get-KubeCertificateSigningRequest -Path $args[0] -Condition Approved", ModuleSession.DemoCluster));
    }
}
