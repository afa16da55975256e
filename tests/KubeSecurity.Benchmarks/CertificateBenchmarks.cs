using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// Inspecting a 20,000-certificate PEM bundle of mixed RSA and EC keys, as real clusters hold them, against `openssl storeutl -noout -text -certs` on the
/// same file (target: a few seconds, linear in the count); a hostile bundle of 200 CAs sharing one
/// name and 2,000 certificates that name it but verify with none (bounded by the per-certificate
/// signature-check limit, not quadratic); and checking the demo cluster plus 5,000 TLS secrets
/// (target: under 2 s).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class CertificateBenchmarks
{
    private string bundlePath = string.Empty;
    private string hostileBundlePath = string.Empty;
    private KubeSnapshot? clusterWithTlsSecrets;

    [GlobalSetup]
    public void Setup()
    {
        string directory = Path.Combine(Path.GetTempPath(), "kubesecurity-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        (List<KubeObject> objects, string bundle) = SyntheticTlsSecrets.Build(certificates: 20_000, secrets: 5_000);
        bundlePath = Path.Combine(directory, "bundle.pem");
        File.WriteAllText(bundlePath, bundle);
        hostileBundlePath = Path.Combine(directory, "hostile.pem");
        File.WriteAllText(hostileBundlePath, SyntheticTlsSecrets.SameNamedAuthorities(authorities: 200, certificates: 2_000));

        string repoRoot = typeof(CertificateBenchmarks).Assembly.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;
        ManifestReadResult demo = new ManifestReader().ReadPaths(new[] { Path.Combine(repoRoot, "samples", "demo-cluster") });
        if (demo.Problems.Count > 0 || demo.Objects.Count == 0)
        {
            throw new InvalidOperationException($"the demo cluster did not load: {string.Join("; ", demo.Problems)}");
        }
        clusterWithTlsSecrets = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, demo.Objects.Concat(objects).ToList(), null, null, false, demo.Sources, out _);
        Console.WriteLine($"// bundle: 20,003 certificates (60% RSA-2048, 10% RSA-3072, 30% EC), {new FileInfo(bundlePath).Length / 1048576.0:N1} MiB; snapshot: {clusterWithTlsSecrets.ObjectCount:N0} objects");
    }

    [Benchmark(Baseline = true)]
    public int Openssl_Storeutl_Text_Bundle()
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "storeutl", "-noout", "-text", "-certs", bundlePath })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        int length = process.StandardOutput.ReadToEnd().Length;
        process.WaitForExit();
        return process.ExitCode == 0 ? length : throw new InvalidOperationException(error.Result);
    }

    [Benchmark]
    public int KubeSecurity_Inspect_Bundle()
    {
        var inventory = new CertificateInventory();
        inventory.AddFile(bundlePath, null);
        List<CertificateInfo> certificates = inventory.Build(DateTimeOffset.UtcNow);
        return certificates.Count == 20_003 ? certificates.Count : throw new InvalidOperationException($"{certificates.Count} certificates");
    }

    [Benchmark]
    public int KubeSecurity_Inspect_Hostile_Same_Named_CAs()
    {
        var inventory = new CertificateInventory();
        inventory.AddFile(hostileBundlePath, null);
        List<CertificateInfo> certificates = inventory.Build(DateTimeOffset.UtcNow);
        return certificates.Count == 2_200 ? certificates.Count : throw new InvalidOperationException($"{certificates.Count} certificates");
    }

    [Benchmark]
    public int KubeSecurity_Test_Demo_Plus_5000_Tls_Secrets()
    {
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(clusterWithTlsSecrets!);
        List<CertificateInfo> certificates = inventory.Build(DateTimeOffset.UtcNow);
        return CertificateAnalyzer.Analyze(clusterWithTlsSecrets!, certificates, new CertificateCheckOptions()).Count;
    }
}

/// <summary>
/// Leaf certificates as real clusters hold them (kubeadm issues RSA-2048): 60% RSA-2048, 10% RSA-3072,
/// 20% EC P-256, 10% EC P-384, issued by an RSA-3072 root's RSA-2048 and EC P-256 intermediates; all
/// of them as a PEM bundle (CAs included), the first ones also as TLS secrets in 50 namespaces. Keys
/// come from a small pool (RSA key generation would take minutes); each certificate is still parsed
/// and checked on its own.
/// </summary>
public static class SyntheticTlsSecrets
{
    public static (List<KubeObject> Secrets, string Bundle) Build(int certificates, int secrets)
    {
        using RSA rootKey = RSA.Create(3072);
        using X509Certificate2 root = Authority("CN=bench-root-ca", rootKey, HashAlgorithmName.SHA256, null, null);
        using RSA rsaIntermediateKey = RSA.Create(2048);
        using X509Certificate2 rsaIntermediate = Authority("CN=bench-rsa-intermediate", rsaIntermediateKey, HashAlgorithmName.SHA256, root, rootKey);
        // P-256, cert-manager's ECDSA default. (A P-384 issuer costs OpenSSL itself 0.65 ms per signature check, ten times P-256.)
        using ECDsa ecIntermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ecIntermediate = Authority("CN=bench-ec-intermediate", ecIntermediateKey, HashAlgorithmName.SHA256, root, rootKey);

        AsymmetricAlgorithm[] pool =
        {
            RSA.Create(2048), RSA.Create(2048), RSA.Create(2048), RSA.Create(2048), RSA.Create(2048), RSA.Create(2048),
            RSA.Create(3072),
            ECDsa.Create(ECCurve.NamedCurves.nistP256), ECDsa.Create(ECCurve.NamedCurves.nistP256),
            ECDsa.Create(ECCurve.NamedCurves.nistP384),
        };
        try
        {
            var bundle = new StringBuilder();
            foreach (X509Certificate2 ca in new[] { root, rsaIntermediate, ecIntermediate })
            {
                bundle.Append(ca.ExportCertificatePem()).Append('\n');
            }

            var objects = new List<KubeObject>();
            for (int i = 0; i < certificates; i++)
            {
                AsymmetricAlgorithm key = pool[i % pool.Length];
                string subject = $"CN=svc-{i}.bench.example, O=Bench";
                CertificateRequest request = key is RSA rsa
                    ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                    : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
                var san = new SubjectAlternativeNameBuilder();
                san.AddDnsName($"svc-{i}.bench.example");
                request.CertificateExtensions.Add(san.Build());
                X509Certificate2 issuer = i % 3 == 2 ? ecIntermediate : rsaIntermediate;
                using X509Certificate2 leaf = Issue(request, issuer, issuer == ecIntermediate ? ecIntermediateKey : rsaIntermediateKey, i, DateTimeOffset.UtcNow.AddDays(30 + (i % 400)));
                string pem = leaf.ExportCertificatePem() + "\n";
                bundle.Append(pem);
                if (i < secrets)
                {
                    string keyPem = key is RSA r ? r.ExportPkcs8PrivateKeyPem() : ((ECDsa)key).ExportPkcs8PrivateKeyPem();
                    objects.Add(KubeObject.Create(System.Text.Json.JsonDocument.Parse(new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "Secret",
                        ["type"] = "kubernetes.io/tls",
                        ["metadata"] = new JsonObject { ["name"] = $"tls-{i}", ["namespace"] = $"team-{i % 50}" },
                        ["data"] = new JsonObject
                        {
                            ["tls.crt"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)),
                            ["tls.key"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(keyPem)),
                        },
                    }.ToJsonString()).RootElement));
                }
            }

            return (objects, bundle.ToString());
        }
        finally
        {
            foreach (AsymmetricAlgorithm key in pool)
            {
                key.Dispose();
            }
        }
    }

    private static X509Certificate2 Authority(string subject, AsymmetricAlgorithm key, HashAlgorithmName hash, X509Certificate2? issuer, RSA? issuerKey)
    {
        CertificateRequest request = key is RSA rsa ? new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1) : new CertificateRequest(subject, (ECDsa)key, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey!, RSASignaturePadding.Pkcs1), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(3), RandomNumberGenerator.GetBytes(8));
    }

    private static X509Certificate2 Issue(CertificateRequest request, X509Certificate2 issuer, AsymmetricAlgorithm issuerKey, int serial, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        X509SignatureGenerator generator = issuerKey is RSA rsa ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1) : X509SignatureGenerator.CreateForECDsa((ECDsa)issuerKey);
        return request.Create(issuer.SubjectName, generator, DateTimeOffset.UtcNow.AddDays(-1), notAfter, BitConverter.GetBytes(serial + 1));
    }

    /// <summary>
    /// A hostile bundle: many self-signed CAs that share one name, and certificates that name it as
    /// their issuer but are signed by a key none of them holds, so every candidate must be tried.
    /// </summary>
    public static string SameNamedAuthorities(int authorities, int certificates)
    {
        var bundle = new StringBuilder();
        for (int i = 0; i < authorities; i++)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=same-name-ca", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using X509Certificate2 ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(3));
            bundle.Append(ca.ExportCertificatePem()).Append('\n');
        }

        using ECDsa hiddenKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hiddenRequest = new CertificateRequest("CN=same-name-ca", hiddenKey, HashAlgorithmName.SHA256);
        hiddenRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 hidden = hiddenRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(3));
        using ECDsa leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        for (int i = 0; i < certificates; i++)
        {
            var request = new CertificateRequest($"CN=victim-{i}", leafKey, HashAlgorithmName.SHA256);
            using X509Certificate2 leaf = request.Create(hidden, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), BitConverter.GetBytes(i + 1));
            bundle.Append(leaf.ExportCertificatePem()).Append('\n');
        }

        return bundle.ToString();
    }
}
