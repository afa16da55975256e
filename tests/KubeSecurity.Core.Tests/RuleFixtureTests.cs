using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.AuditLog;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests;

/// <summary>
/// One data-driven test for rule fixtures: RuleFixtures/&lt;rule id&gt;.violating.&lt;ext&gt; must make
/// the rule fire and &lt;rule id&gt;.compliant.&lt;ext&gt; must not. Every rule has both. A fixture is read
/// the way a user's input of that kind is: manifests and saved snapshots (.yaml, .json) run through
/// the whole security audit; EncryptionConfiguration files through the encryption check; audit logs
/// (.jsonl) through the audit-log review (allowed sources 10.0.0.0/8). Checks that need an option the
/// audit does not take read it from a leading comment:
///   # fixture-as-of: 2026-11-01            evaluate at this time instead of 2026-12-20
///   # fixture-suppressions: file.yaml      apply RuleFixtures/inputs/file.yaml
///   # fixture-trusted-ca: ns/secret        Test-KubeCertificate -TrustedCa with that secret's certificates
///   # fixture-rotation: ns/secret 2026-12-01   Test-KubeCaRotation: new CA in that secret, rotated then
///   # fixture-kubeconfig                   the file is a kubeconfig (Get-KubeCertificate -Kubeconfig)
/// </summary>
public class RuleFixtureTests
{
    private static readonly string Folder = Path.Combine(TestPaths.RepoRoot, "tests", "KubeSecurity.Core.Tests", "RuleFixtures");
    private static readonly DateTimeOffset DefaultAsOf = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_violating_fixture_is_reported_and_the_compliant_one_is_not(string fixture)
    {
        Match name = Regex.Match(fixture, @"^(KSEC-[A-Z]+-\d{3})\.(violating|compliant)\.(yaml|json|jsonl)$");
        Assert.True(name.Success, $"{fixture}: fixtures are named <rule id>.violating|compliant.yaml|json|jsonl");
        string ruleId = name.Groups[1].Value;
        bool violating = name.Groups[2].Value == "violating";
        Assert.True(RuleCatalog.TryGet(ruleId, out _), $"{ruleId} is not a rule");
        Assert.True(Directory.GetFiles(Folder, $"{ruleId}.{(violating ? "compliant" : "violating")}.*").Length == 1, $"{ruleId} needs both a violating and a compliant fixture");

        List<Finding> findings = Run(ruleId, Path.Combine(Folder, fixture));
        if (violating)
        {
            Assert.True(findings.Any(f => f.RuleId == ruleId), $"{fixture} should raise {ruleId}; it raised {Describe(findings)}");
        }
        else
        {
            Assert.True(findings.All(f => f.RuleId != ruleId), $"{fixture} should not raise {ruleId}; it raised {Describe(findings.Where(f => f.RuleId == ruleId))}");
        }
    }

    [Fact]
    public void Every_rule_has_a_violating_and_a_compliant_fixture()
    {
        string[] files = Directory.GetFiles(Folder).Select(f => Path.GetFileName(f)).ToArray();
        List<string> without = RuleCatalog.All.Select(r => r.Id)
            .Where(id => !files.Any(f => f.StartsWith(id + ".violating.", StringComparison.Ordinal)) || !files.Any(f => f.StartsWith(id + ".compliant.", StringComparison.Ordinal)))
            .ToList();
        Assert.True(without.Count == 0, $"rules without a fixture pair in {Folder}: {string.Join(", ", without)}");
    }

    private static List<Finding> Run(string ruleId, string path)
    {
        string text = File.ReadAllText(path);
        Dictionary<string, string> options = Directives(text);
        DateTimeOffset asOf = options.TryGetValue("as-of", out string? at) ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : DefaultAsOf;

        if (path.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            var problems = new List<string>();
            List<AuditEvent> events = AuditLogReader.Read(new StringReader(text), path, problems).ToList();
            Assert.Empty(problems);
            return AuditEventAnalyzer.Analyze(events, new AuditEventReviewOptions { AllowedSources = new[] { IPNetwork.Parse("10.0.0.0/8") } });
        }

        if (ruleId.StartsWith("KSEC-ENC-", StringComparison.Ordinal))
        {
            return EncryptionConfigurationAnalyzer.Analyze(text, path);
        }

        if (options.ContainsKey("kubeconfig"))
        {
            var kubeconfig = new CertificateInventory();
            kubeconfig.AddKubeconfig(path, null);
            Assert.Empty(kubeconfig.Problems);
            return CertificateAnalyzer.Analyze(Snapshot(Array.Empty<string>()), kubeconfig.Build(asOf), new CertificateCheckOptions { AsOf = asOf });
        }

        KubeSnapshot snapshot = Snapshot(new[] { path });
        if (options.TryGetValue("trusted-ca", out string? trusted))
        {
            List<CertificateInfo> certificates = Certificates(snapshot, asOf);
            return CertificateAnalyzer.Analyze(snapshot, certificates, new CertificateCheckOptions { AsOf = asOf, TrustedAuthorities = InSecret(certificates, trusted) });
        }

        if (options.TryGetValue("rotation", out string? rotation))
        {
            string[] parts = rotation.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            List<CertificateInfo> certificates = Certificates(snapshot, asOf);
            CertificateInfo newCa = Assert.Single(InSecret(certificates, parts[0]));
            return CertificateRotationAnalyzer.Analyze(certificates, newCa, null, DateTimeOffset.Parse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)).Findings;
        }

        IReadOnlyList<Suppression> suppressions = options.TryGetValue("suppressions", out string? file)
            ? Suppressions.Parse(File.ReadAllText(Path.Combine(Folder, "..", "RuleFixtureInputs", file)), file)
            : Array.Empty<Suppression>();
        return AuditRunner.Run(snapshot, new AuditOptions { AsOf = asOf, RestrictedPodSecurity = true, Suppressions = suppressions }).Findings;
    }

    private static KubeSnapshot Snapshot(IReadOnlyList<string> paths)
    {
        ManifestReadResult read = new ManifestReader().ReadPaths(paths);
        KubeSnapshot? saved = read.SavedSnapshot;
        return SnapshotAssembler.Build(saved is null ? SnapshotSource.Files : SnapshotSource.Saved, null, saved?.Context, null, DefaultAsOf, read.Objects,
            saved?.MissingKinds, null, false, read.Sources, out _, read.Problems.Select(p => p.ToString()).ToList());
    }

    private static List<CertificateInfo> Certificates(KubeSnapshot snapshot, DateTimeOffset asOf)
    {
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(snapshot);
        return inventory.Build(asOf);
    }

    private static List<CertificateInfo> InSecret(IEnumerable<CertificateInfo> certificates, string namespacedName)
    {
        string[] parts = namespacedName.Split('/');
        List<CertificateInfo> found = certificates.Where(c => c.Kind == "Secret" && c.Namespace == parts[0] && c.Name == parts[1]).ToList();
        Assert.True(found.Count > 0, $"no certificate in secret {namespacedName}");
        return found;
    }

    private static Dictionary<string, string> Directives(string text)
    {
        var directives = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(text, @"^# fixture-([a-z-]+)(?::[ \t]*(.*?))?[ \t]*$", RegexOptions.Multiline))
        {
            directives[m.Groups[1].Value] = m.Groups[2].Value;
        }

        return directives;
    }

    private static string Describe(IEnumerable<Finding> findings)
    {
        List<string> lines = findings.Select(f => $"{f.RuleId} {f.Resource}: {f.Message}").ToList();
        return lines.Count == 0 ? "nothing" : "\n  " + string.Join("\n  ", lines);
    }
}
