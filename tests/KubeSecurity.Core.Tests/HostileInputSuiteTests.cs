using System.Diagnostics;
using System.Text;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.AuditLog;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests;

[CollectionDefinition(nameof(HostileInputCollection), DisableParallelization = true)]
public sealed class HostileInputCollection;

/// <summary>
/// The reliability suite: a generated corpus of hostile and broken inputs, read the way users read
/// input (one folder of manifests, certificate files, CSRs in a snapshot, an audit log). Every bad
/// input is an error naming it, the good inputs beside them are still analysed, and nothing hangs
/// or blows up memory. The bounds are generous on purpose: they catch hangs and blow-ups, they do
/// not time anything. Run alone (no parallel tests) so the memory watch sees only this work.
/// </summary>
[Collection(nameof(HostileInputCollection))]
public class HostileInputSuiteTests
{
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(120);
    private const long MemoryBound = 1L << 30;

    /// <summary>Samples the managed heap while work runs and reports the largest size seen.</summary>
    private sealed class MemoryWatch : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task sampler;
        private long peak;

        public MemoryWatch()
        {
            GC.Collect();
            sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    long now = GC.GetTotalMemory(false);
                    if (now > Interlocked.Read(ref peak))
                    {
                        Interlocked.Exchange(ref peak, now);
                    }

                    await Task.Delay(20).ConfigureAwait(false);
                }
            });
        }

        public long Peak => Interlocked.Read(ref peak);

        public void Dispose()
        {
            stop.Cancel();
            sampler.Wait();
            stop.Dispose();
        }
    }

    private static string Corpus(string name)
    {
        string folder = Path.Combine(TestPaths.TempDirectory(), name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private const string GoodManifest = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: good}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: good}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: registry.example/web:1.0, securityContext: {privileged: true}}]
        """;

    [Fact]
    public void A_folder_of_hostile_manifests_reports_each_one_and_still_analyses_the_good_one()
    {
        string folder = Corpus("manifests");
        File.WriteAllText(Path.Combine(folder, "good.yaml"), GoodManifest);

        var laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++)
        {
            laughs.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        File.WriteAllText(Path.Combine(folder, "billion-laughs.yaml"), laughs.ToString());
        File.WriteAllText(Path.Combine(folder, "large-alias.yaml"),
            $"big: &big {new string('x', 1 << 20)}\nmany: [{string.Join(", ", Enumerable.Repeat("*big", 3000))}]\n");
        File.WriteAllText(Path.Combine(folder, "deep.yaml"), new string('[', 100_000) + new string(']', 100_000));
        File.WriteAllText(Path.Combine(folder, "deep.json"), new string('[', 100_000) + new string(']', 100_000));
        File.WriteAllBytes(Path.Combine(folder, "binary-junk.yaml"), RandomBytes(1 << 20, seed: 1));
        File.WriteAllText(Path.Combine(folder, "utf16.yaml"), "kind: Namespace\nmetadata: {name: wide}\n", Encoding.Unicode);
        File.WriteAllText(Path.Combine(folder, "unclosed.yaml"), "a: [x\nb: 1\n");
        File.WriteAllText(Path.Combine(folder, "duplicate-key.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: good}\nspec:\n  containers: [{name: c, image: i, securityContext: {privileged: true, privileged: false}}]\n");
        File.WriteAllText(Path.Combine(folder, "list-of-five.yaml"), "apiVersion: v1\nkind: List\nitems: 5\n");
        File.WriteAllText(Path.Combine(folder, "kind-five.yaml"), "apiVersion: v1\nkind: 5\nmetadata: {name: x}\n");
        using (var junkDocuments = new StreamWriter(Path.Combine(folder, "a-million-tiny-documents.yaml")))
        {
            for (int i = 0; i < 1_000_000; i++)
            {
                junkDocuments.Write($"---\na: {i}\n");
            }
        }

        File.WriteAllText(Path.Combine(folder, "huge-object.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: huge, namespace: good}}\ndata:\n  blob: {new string('x', 5 << 20)}\n");
        string[] hostile = Directory.GetFiles(folder).Select(Path.GetFileName).Where(f => f != "good.yaml").ToArray()!;
        // A kubectl dump is one large document of many small objects: the per-object limit does not touch it.
        File.WriteAllText(Path.Combine(folder, "good-dump.yaml"), "apiVersion: v1\nkind: List\nitems:\n" + string.Concat(Enumerable.Range(0, 40_000).Select(i => $"- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: cm-{i}, namespace: good}}, data: {{k: v}}}}\n")));
        // Each hostile file alone stays within the time and memory bounds...
        foreach (string file in hostile)
        {
            var each = Stopwatch.StartNew();
            using var memory = new MemoryWatch();
            ManifestReadResult alone = new ManifestReader().ReadPaths(new[] { Path.Combine(folder, file) });
            each.Stop();
            Assert.True(each.Elapsed < HangBound, $"{file} took {each.Elapsed}");
            Assert.True(memory.Peak < MemoryBound, $"{file}: the managed heap reached {memory.Peak / 1048576} MiB");
            Assert.NotEmpty(alone.Problems);
        }

        // ...and the folder as a whole reports every one of them and still yields the good objects.
        var watch = Stopwatch.StartNew();
        ManifestReadResult read = new ManifestReader().ReadPaths(new[] { folder });
        watch.Stop();
        Assert.True(watch.Elapsed < HangBound, $"reading took {watch.Elapsed}");
        foreach (string file in hostile)
        {
            Assert.True(read.Problems.Any(p => Path.GetFileName(p.Source) == file), $"{file} was not reported: {string.Join("\n", read.Problems.Take(20))}");
        }

        Assert.Equal(ManifestReader.MaxProblemsPerFile + 1, read.Problems.Count(p => Path.GetFileName(p.Source) == "a-million-tiny-documents.yaml"));
        Assert.Contains(read.Objects, o => o.Kind == "Deployment" && o.Name == "web");
        Assert.Equal(40_000, read.Objects.Count(o => o.Kind == "ConfigMap" && o.Name.StartsWith("cm-", StringComparison.Ordinal)));
        Assert.Contains(read.Problems, p => Path.GetFileName(p.Source) == "huge-object.yaml" && p.Kind == LoadProblemKind.LimitExceeded && p.Message.Contains("1.5 MiB", StringComparison.Ordinal));

        KubeSnapshot snapshot = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, read.Objects, null, null, false, read.Sources, out _,
            read.Problems.Select(p => p.ToString()).ToList());
        AuditResult audit = AuditRunner.Run(snapshot, new AuditOptions());
        Assert.Contains(audit.Findings, f => f.RuleId == "KSEC-POD-003" && f.Name == "web");
        Assert.Contains(audit.Findings, f => f.RuleId == "KSEC-GEN-003" && f.Message.Contains("billion-laughs.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Broken_certificate_files_are_reported_one_by_one_and_the_good_certificate_is_read()
    {
        string folder = Corpus("certificates");
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=good", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using System.Security.Cryptography.X509Certificates.X509Certificate2 good = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        byte[] der = good.RawData;
        var files = new Dictionary<string, byte[]>
        {
            ["good.pem"] = Encoding.ASCII.GetBytes(good.ExportCertificatePem()),
            ["junk.pem"] = RandomBytes(1 << 16, seed: 2),
            ["bad-base64.pem"] = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\n!!!! not base64 !!!!\n-----END CERTIFICATE-----\n"),
            ["unterminated.pem"] = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(der)),
            ["truncated.der"] = der[..(der.Length / 2)],
            ["garbage.p12"] = RandomBytes(4096, seed: 3),
            ["empty.crt"] = Array.Empty<byte>(),
            ["key-only.pem"] = Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()),
            ["many-begins.pem"] = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("-----BEGIN CERTIFICATE-----\n", 200_000))),
        };

        var inventory = new CertificateInventory();
        var watch = Stopwatch.StartNew();
        foreach ((string name, byte[] bytes) in files)
        {
            string path = Path.Combine(folder, name);
            File.WriteAllBytes(path, bytes);
            inventory.AddFile(path, "wrong password".ToCharArray());
        }

        List<CertificateInfo> certificates = inventory.Build(DateTimeOffset.UtcNow);
        watch.Stop();

        Assert.True(watch.Elapsed < HangBound, $"took {watch.Elapsed}");
        Assert.Equal("CN=good", Assert.Single(certificates).Subject);
        foreach (string name in files.Keys.Where(n => n != "good.pem"))
        {
            Assert.True(inventory.Problems.Any(p => Path.GetFileName(p.Source) == name), $"{name} was not reported: {string.Join("\n", inventory.Problems)}");
        }
    }

    [Fact]
    public void Hostile_certificate_signing_requests_are_problems_of_their_own_and_the_rest_are_read()
    {
        static string Csr(string name, string request) =>
            $"---\napiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {{name: {name}}}\nspec: {{request: '{request}', signerName: kubernetes.io/kube-apiserver-client, usages: [client auth]}}\n";
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=jane, O=developers", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        string good = Convert.ToBase64String(Encoding.ASCII.GetBytes(request.CreateSigningRequestPem()));
        using System.Security.Cryptography.X509Certificates.X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        string yaml = string.Concat(
            Csr("good", good),
            Csr("not-base64", "!!!!"),
            Csr("base64-junk", Convert.ToBase64String(RandomBytes(2048, seed: 4))),
            Csr("a-certificate", Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()))),
            Csr("truncated", good[..(good.Length / 2)]),
            "---\napiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {name: no-spec}\n");
        KubeSnapshot snapshot = Rbac.RbacFixtures.FromYaml(yaml);

        (List<CertificateSigningRequestInfo> requests, List<CertificateProblem> problems) = CsrReader.Read(snapshot, DateTimeOffset.UtcNow);

        Assert.Equal("good", Assert.Single(requests).Name);
        foreach (string name in new[] { "not-base64", "base64-junk", "a-certificate", "truncated", "no-spec" })
        {
            Assert.True(problems.Any(p => p.Source.Contains($" {name} ", StringComparison.Ordinal)), $"{name} was not reported: {string.Join("\n", problems)}");
        }
    }

    [Fact]
    public void Broken_audit_log_lines_are_skipped_one_by_one_and_the_good_event_is_read()
    {
        const string Good = """{"kind":"Event","auditID":"1","stage":"ResponseComplete","verb":"get","user":{"username":"alice"},"objectRef":{"resource":"secrets","namespace":"shop","name":"db"},"responseStatus":{"code":200}}""";
        string[] lines =
        {
            "not json at all",
            new string('[', 10_000) + new string(']', 10_000),
            "[1, 2, 3]",
            """{"kind":"Event","verb":"get"}""",
            "{\"kind\":\"Event\",\"verb\":\"get\",\"user\":{\"username\":\"" + new string('x', 5 << 20) + "\"}}",
            Encoding.Latin1.GetString(RandomBytes(4096, seed: 5)).Replace('\n', ' ').Replace('\r', ' '),
            Good,
        };
        var problems = new List<string>();
        var watch = Stopwatch.StartNew();
        List<AuditEvent> events = AuditLogReader.Read(new StringReader(string.Join("\n", lines)), "audit.log", problems).ToList();
        watch.Stop();

        Assert.True(watch.Elapsed < HangBound, $"took {watch.Elapsed}");
        Assert.Equal("alice", Assert.Single(events).User);
        Assert.Equal(lines.Length - 1, problems.Count);
        for (int line = 1; line < lines.Length; line++)
        {
            Assert.Contains(problems, p => p.StartsWith($"audit.log line {line}:", StringComparison.Ordinal));
        }
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
