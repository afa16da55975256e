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
/// Inspecting a 20,000-certificate PEM bundle against `openssl storeutl -noout -text -certs` on the
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
        Console.WriteLine($"// bundle: 20,001 certificates, {new FileInfo(bundlePath).Length / 1048576.0:N1} MiB; snapshot: {clusterWithTlsSecrets.ObjectCount:N0} objects");
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
        return certificates.Count == 20_001 ? certificates.Count : throw new InvalidOperationException($"{certificates.Count} certificates");
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

/// <summary>Leaf certificates of one CA: all of them as a PEM bundle, the first ones also as TLS secrets in 50 namespaces.</summary>
public static class SyntheticTlsSecrets
{
    public static (List<KubeObject> Secrets, string Bundle) Build(int certificates, int secrets)
    {
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=bench-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(3));

        var bundle = new StringBuilder(ca.ExportCertificatePem()).Append('\n');
        var objects = new List<KubeObject>();
        for (int i = 0; i < certificates; i++)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN=svc-{i}.bench.example, O=Bench", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName($"svc-{i}.bench.example");
            request.CertificateExtensions.Add(san.Build());
            using X509Certificate2 leaf = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30 + (i % 400)), BitConverter.GetBytes(i + 1));
            string pem = leaf.ExportCertificatePem() + "\n";
            bundle.Append(pem);
            if (i < secrets)
            {
                objects.Add(KubeObject.Create(System.Text.Json.JsonDocument.Parse(new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Secret",
                    ["type"] = "kubernetes.io/tls",
                    ["metadata"] = new JsonObject { ["name"] = $"tls-{i}", ["namespace"] = $"team-{i % 50}" },
                    ["data"] = new JsonObject
                    {
                        ["tls.crt"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)),
                        ["tls.key"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem())),
                    },
                }.ToJsonString()).RootElement));
            }
        }

        return (objects, bundle.ToString());
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
