using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Certificates;

public class CsrReviewTests
{
    private static readonly DateTimeOffset Now = CertificateFixtures.Now;

    private static KubeObject Csr(string name, string subject, string signer, string? condition = null, int rsaBits = 2048, DateTimeOffset? created = null)
    {
        using RSA key = RSA.Create(rsaBits);
        string pem = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        var node = new JsonObject
        {
            ["apiVersion"] = "certificates.k8s.io/v1",
            ["kind"] = "CertificateSigningRequest",
            ["metadata"] = new JsonObject { ["name"] = name, ["creationTimestamp"] = (created ?? Now.AddHours(-1)).ToString("yyyy-MM-ddTHH:mm:ssZ") },
            ["spec"] = new JsonObject { ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)), ["signerName"] = signer, ["usages"] = new JsonArray("client auth"), ["username"] = "someone" },
        };
        if (condition is not null)
        {
            node["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = condition, ["status"] = "True" }) };
        }

        return KubeObject.Create(System.Text.Json.JsonDocument.Parse(node.ToJsonString()).RootElement);
    }

    private static List<Finding> Review(params KubeObject[] requests)
    {
        (List<CertificateSigningRequestInfo> decoded, List<CertificateProblem> problems) = CsrReader.Read(CertificateFixtures.Snapshot(requests), Now);
        Assert.Empty(problems);
        return CsrAnalyzer.Analyze(decoded);
    }

    [Fact]
    public void The_demo_request_for_system_masters_is_critical_and_stale()
    {
        ManifestReadResult read = new ManifestReader().ReadPaths(new[] { TestPaths.DemoCluster });
        KubeSnapshot demo = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, Now, read.Objects, null, null, false, read.Sources, out _);
        (List<CertificateSigningRequestInfo> requests, _) = CsrReader.Read(demo, Now);
        List<Finding> findings = CsrAnalyzer.Analyze(requests);

        Assert.Equal(new[] { CsrRules.MastersRequested, CsrRules.PendingTooLong }, findings.Select(f => f.RuleId));
        Assert.Equal((Severity.Critical, "CertificateSigningRequest/ci-bot-client"), (findings[0].Severity, findings[0].Resource.ToString()));
        Assert.Equal("ci-runner", findings[0].Evidence["RequestedBy"]);
    }

    [Fact]
    public void Client_certificates_for_system_identities_are_reported_and_ordinary_ones_are_not()
    {
        Assert.Equal(CsrRules.PrivilegedClientIdentity, Assert.Single(Review(Csr("kcm", "CN=system:kube-controller-manager", "kubernetes.io/kube-apiserver-client"))).RuleId);
        Assert.Empty(Review(Csr("jane", "CN=jane, O=developers", "kubernetes.io/kube-apiserver-client")));
        Assert.Empty(Review(Csr("kubelet", "CN=system:node:worker-1, O=system:nodes", "kubernetes.io/kube-apiserver-client-kubelet")));
        Assert.Empty(Review(Csr("denied", "CN=x, O=system:masters", "kubernetes.io/kube-apiserver-client", "Denied")));
    }

    [Fact]
    public void Stale_pending_requests_and_approved_weak_keys_are_reported()
    {
        Assert.Equal(CsrRules.PendingTooLong, Assert.Single(Review(Csr("old", "CN=old", "example.com/signer", created: Now.AddDays(-3)))).RuleId);
        Assert.Equal(CsrRules.ApprovedWeakKey, Assert.Single(Review(Csr("weak", "CN=weak", "example.com/signer", "Approved", rsaBits: 1024))).RuleId);
        Assert.Empty(Review(Csr("fine", "CN=fine", "example.com/signer", "Approved")));
    }
}
