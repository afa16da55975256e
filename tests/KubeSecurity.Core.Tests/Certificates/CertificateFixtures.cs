using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Certificates;

/// <summary>Real certificates and the Kubernetes objects that hold them, for violating and compliant cases.</summary>
internal static class CertificateFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 12, 20, 12, 0, 0, TimeSpan.Zero);

    public static X509Certificate2 Ca(string subject, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(from ?? Now.AddYears(-3), to ?? Now.AddYears(5));
    }

    /// <summary>A server leaf; signed by <paramref name="issuer"/>, or self-signed when null.</summary>
    public static X509Certificate2 Leaf(X509Certificate2? issuer, string subject, string[]? dnsNames = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        int rsaBits = 2048, HashAlgorithmName? hash = null, byte[]? serial = null)
    {
        using RSA key = RSA.Create(rsaBits);
        var request = new CertificateRequest(subject, key, hash ?? HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.1") }, false));
        if (dnsNames is { Length: > 0 })
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string name in dnsNames)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        DateTimeOffset notBefore = from ?? Now.AddDays(-10), notAfter = to ?? Now.AddDays(80);
        HashAlgorithmName digest = hash ?? HashAlgorithmName.SHA256;
        if (issuer is null && digest != HashAlgorithmName.SHA1)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        // Signing through a generator skips .NET's guards (validity inside the issuer's, no SHA-1):
        // the bad certificates these fixtures need.
        using RSA signer = issuer?.GetRSAPrivateKey() ?? key;
        var generator = new RsaSigner(signer, digest);
        X500DistinguishedName issuerName = issuer?.SubjectName ?? request.SubjectName;
        using X509Certificate2 issued = request.Create(issuerName, generator, notBefore, notAfter, serial ?? RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>PKCS#1 v1.5 RSA signatures with any digest, SHA-1 included.</summary>
    private sealed class RsaSigner(RSA key, HashAlgorithmName digest) : X509SignatureGenerator
    {
        private static readonly Dictionary<string, string> Oids = new()
        {
            ["SHA1"] = "1.2.840.113549.1.1.5",
            ["SHA256"] = "1.2.840.113549.1.1.11",
            ["SHA384"] = "1.2.840.113549.1.1.12",
            ["SHA512"] = "1.2.840.113549.1.1.13",
        };

        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
        {
            var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids[digest.Name!]);
                writer.WriteNull();
            }

            return writer.Encode();
        }

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => key.SignData(data, digest, RSASignaturePadding.Pkcs1);

        protected override PublicKey BuildPublicKey() => new(key);
    }

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    public static string KeyPem(X509Certificate2 certificate) => certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n";

    public static KubeObject TlsSecret(string ns, string name, string certificatePem, string? keyPem = null)
    {
        var data = new JsonObject { ["tls.crt"] = B64(certificatePem) };
        if (keyPem is not null)
        {
            data["tls.key"] = B64(keyPem);
        }

        return Object(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "kubernetes.io/tls", ["metadata"] = Meta(ns, name), ["data"] = data });
    }

    public static KubeObject CaBundle(string ns, string name, params X509Certificate2[] certificates) =>
        Object(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = Meta(ns, name), ["data"] = new JsonObject { ["ca.crt"] = string.Concat(certificates.Select(Pem)) } });

    public static KubeObject Ingress(string ns, string name, string secretName, params string[] hosts) =>
        Object(new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = Meta(ns, name),
            ["spec"] = new JsonObject { ["tls"] = new JsonArray(new JsonObject { ["hosts"] = new JsonArray(hosts.Select(h => (JsonNode)h).ToArray()), ["secretName"] = secretName }) },
        });

    public static KubeObject Parse(string json) => KubeObject.Create(System.Text.Json.JsonDocument.Parse(json).RootElement);

    public static KubeSnapshot Snapshot(params KubeObject[] objects) => new(SnapshotSource.Files, null, null, null, Now, objects);

    public static List<Finding> Check(KubeSnapshot snapshot, int warningDays = 30)
    {
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(snapshot);
        Assert.Empty(inventory.Problems);
        return CertificateAnalyzer.Analyze(snapshot, inventory.Build(Now), new CertificateCheckOptions { AsOf = Now, WarningDays = warningDays });
    }

    private static KubeObject Object(JsonObject node) => KubeObject.Create(System.Text.Json.JsonDocument.Parse(node.ToJsonString()).RootElement);

    private static JsonObject Meta(string ns, string name) => new() { ["namespace"] = ns, ["name"] = name };

    private static string B64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
}
