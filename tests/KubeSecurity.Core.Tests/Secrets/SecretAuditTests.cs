using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;
using KubeSecurity.Core.Credentials;

namespace KubeSecurity.Core.Tests.Secrets;

public class SecretAuditTests
{
    private static readonly DateTimeOffset DemoDate = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);

    private static SecretReviewResult Review(KubeSnapshot snapshot) =>
        SecretAnalyzer.Analyze(snapshot, RbacPolicy.Build(snapshot), new SecretReviewOptions { AsOf = DemoDate });

    [Fact]
    public void Every_planted_secret_problem_of_the_demo_cluster_is_found()
    {
        KubeSnapshot demo = RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster);
        SecretReviewResult review = Review(demo);
        List<Finding> leaks = CredentialLeakScanner.Scan(demo, new CredentialDetector()).Findings;
        List<Finding> all = review.Findings.Concat(leaks).ToList();

        // DEMO-SEC-1: secrets in the environment.
        Assert.Contains(all, f => f.RuleId == SecretRules.SecretInEnvironment && f.Name == "payments-api" && f.Evidence["How"] == "env");
        Assert.Contains(all, f => f.RuleId == SecretRules.SecretInEnvironment && f.Name == "settlement" && f.Evidence["How"] == "envFrom");
        // DEMO-SEC-2: the AWS key pair in a ConfigMap.
        Assert.Contains(all, f => f.RuleId == SecretRules.CredentialLeak && f.Name == "app-config" && f.Evidence["Detector"] == CredentialDetector.AwsAccessKey);
        Assert.Contains(all, f => f.RuleId == SecretRules.CredentialLeak && f.Name == "app-config" && f.Evidence["Detector"] == CredentialDetector.AwsSecretKey);
        // DEMO-SEC-3: the legacy token.
        Assert.Contains(all, f => f.RuleId == SecretRules.LegacyToken && f.Name == "deployer-token");
        // DEMO-SEC-4: the literal password in grafana's environment.
        Assert.Contains(all, f => f.RuleId == SecretRules.CredentialLeak && f.Name == "grafana" && f.Evidence["Location"].Contains("GF_SECURITY_ADMIN_PASSWORD", StringComparison.Ordinal));
        // DEMO-SEC-5: orphaned and stale, with the source of the date.
        Assert.Contains(all, f => f.RuleId == SecretRules.OrphanSecret && f.Name == "old-api-key");
        Finding stale = Assert.Single(all, f => f.RuleId == SecretRules.StaleSecret && f.Name == "old-api-key");
        Assert.Equal("creationTimestamp", stale.Evidence["DeterminedFrom"]);
        // DEMO-SEC-6: the registries of the pull secret.
        Finding registries = Assert.Single(all, f => f.RuleId == SecretRules.RegistryCredentials && f.Name == "registry-credentials");
        Assert.Equal("ghcr.io, registry.demo.example", registries.Evidence["Registries"]);
        // DEMO-SEC-7: an email address in an annotation.
        Assert.Contains(all, f => f.RuleId == SecretRules.PersonalInformation && f.Name == "old-catalog" && f.Evidence["Where"].Contains("annotation owner", StringComparison.Ordinal));
        // DEMO-SEC-8 (negative): the *_FILE path is not a credential.
        Assert.DoesNotContain(leaks, f => f.Evidence["Location"].Contains("DB_PASSWORD_FILE", StringComparison.Ordinal));

        // No finding ever carries a value.
        Assert.All(all, f => Assert.DoesNotContain("AKIA2E5QJ7WBHXK4R6TN", f.Message + string.Join(" ", f.Evidence.Values), StringComparison.Ordinal));
        Assert.All(all, f => Assert.DoesNotContain("q8Vt2Lr9XbN4sW7mK1pZ", f.Message + string.Join(" ", f.Evidence.Values), StringComparison.Ordinal));
        // Every authenticated user reads every secret in the demo.
        Assert.Contains(all, f => f.RuleId == SecretRules.BroadSecretAccess && f.Name == "payments" && f.Evidence["Subject"] == "Group:system:authenticated" && f.Severity == Severity.Critical);
    }

    [Fact]
    public void Messages_composed_when_read_say_what_they_said_when_built_at_once()
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml("""
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: forgotten, namespace: shop, creationTimestamp: "2025-01-10T08:00:00Z"}
            type: Opaque
            data: {user: YQ==, pass: Yg==}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: worker, namespace: shop}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: worker-1, namespace: shop}
            spec:
              serviceAccountName: worker
              containers: [{name: c, image: registry.example/worker@sha256:0000000000000000000000000000000000000000000000000000000000000000}]
            """);
        List<Finding> findings = Review(snapshot).Findings;

        Assert.Equal("No pod, workload, service account or ingress references Secret/shop/forgotten (type Opaque, keys: user, pass).",
            Assert.Single(findings, f => f.RuleId == SecretRules.OrphanSecret).Message);
        Assert.Equal("Secret/shop/forgotten has not changed for 708 days (last change 2025-01-10, from creationTimestamp); the limit is 90.",
            Assert.Single(findings, f => f.RuleId == SecretRules.StaleSecret).Message);
        Assert.Equal("Pod/shop/worker-1 mounts an API token of ServiceAccount:shop/worker, which has no RBAC grants of its own.",
            Assert.Single(findings, f => f.RuleId == SecretRules.UnneededTokenMount && f.Kind == "Pod").Message);
        Assert.Equal("ServiceAccount:shop/worker does not set automountServiceAccountToken: false although it has no RBAC grants of its own; every pod running as it gets an API token it does not need.",
            Assert.Single(findings, f => f.RuleId == SecretRules.UnneededTokenMount && f.Kind == "ServiceAccount").Message);
    }

    [Fact]
    public void Staleness_prefers_the_newest_managed_fields_write_of_the_data()
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml("""
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: rotated
              namespace: a
              creationTimestamp: "2020-01-01T00:00:00Z"
              managedFields:
              - {manager: kubectl, operation: Update, time: "2020-01-01T00:00:00Z", fieldsV1: {"f:data": {"f:x": {}}}}
              - {manager: rotator, operation: Update, time: "2026-12-01T00:00:00Z", fieldsV1: {"f:data": {"f:x": {}}}}
              - {manager: labeler, operation: Update, time: "2026-12-19T00:00:00Z", fieldsV1: {"f:metadata": {"f:labels": {}}}}
            data: {x: eA==}
            """ + "\n");
        (DateTimeOffset? when, string source) = SecretAnalyzer.LastChange(snapshot.Objects.Single());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), when);
        Assert.Equal("managedFields", source);
        Assert.DoesNotContain(Review(snapshot).Findings, f => f.RuleId == SecretRules.StaleSecret);
    }

    [Fact]
    public void Missing_references_unneeded_tokens_key_material_and_bad_values()
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml("""
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: certs, namespace: a}
            type: Opaque
            data: {server.pem: bm90IHJlYWxseQ==, id_rsa: eA==}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: broken-pull, namespace: a}
            type: kubernetes.io/dockerconfigjson
            data: {.dockerconfigjson: bm90IGpzb24=}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: app, namespace: a}
            spec:
              serviceAccountName: app
              volumes: [{name: c, secret: {secretName: certs}}, {name: g, secret: {secretName: gone}}, {name: o, secret: {secretName: maybe, optional: true}}]
              imagePullSecrets: [{name: broken-pull}]
              containers: [{name: c, image: x}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: quiet, namespace: a}
            spec: {automountServiceAccountToken: false, containers: [{name: c, image: x}]}
            """ + "\n");
        SecretReviewResult review = Review(snapshot);
        Assert.Contains(review.Findings, f => f.RuleId == SecretRules.MissingSecret && f.Evidence["Secret"] == "a/gone");
        Assert.DoesNotContain(review.Findings, f => f.RuleId == SecretRules.MissingSecret && f.Evidence["Secret"] == "a/maybe");
        Assert.Contains(review.Findings, f => f.RuleId == SecretRules.KeyMaterialInOpaque && f.Name == "certs" && f.Evidence["Keys"] == "server.pem, id_rsa");
        Assert.Contains(review.Findings, f => f.RuleId == SecretRules.UnneededTokenMount && f.Name == "app");
        Assert.DoesNotContain(review.Findings, f => f.RuleId == SecretRules.UnneededTokenMount && f.Name == "quiet");
        Assert.Contains(review.Problems, p => p.Contains("broken-pull", StringComparison.Ordinal) && p.Contains("not valid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void Key_material_is_found_in_every_base64_form_an_opaque_value_can_take_and_bad_base64_is_a_problem()
    {
        string pem = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n";
        string plain = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));
        // The API server's decoder skips line ends, so a value broken into lines of 20 still decodes.
        string lineBroken = string.Join("\\n", plain.Chunk(20).Select(c => new string(c)));
        KubeSnapshot snapshot = RbacFixtures.FromYaml($$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: plain, namespace: a}
            type: Opaque
            data: {blob: {{plain}}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: broken-lines, namespace: a}
            type: Opaque
            data: {blob: "{{lineBroken}}"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: not-base64, namespace: a}
            type: Opaque
            data: {blob: "@@@not base64@@@"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: text, namespace: a}
            type: Opaque
            data: {blob: {{Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("just a setting"))}}}
            """ + "\n");
        SecretReviewResult review = Review(snapshot);
        Assert.Contains(review.Findings, f => f.RuleId == SecretRules.KeyMaterialInOpaque && f.Name == "plain" && f.Evidence["Keys"] == "blob");
        Assert.Contains(review.Findings, f => f.RuleId == SecretRules.KeyMaterialInOpaque && f.Name == "broken-lines" && f.Evidence["Keys"] == "blob");
        Assert.DoesNotContain(review.Findings, f => f.RuleId == SecretRules.KeyMaterialInOpaque && f.Name is "text" or "not-base64");
        Assert.Contains(review.Problems, p => p.Contains("not-base64", StringComparison.Ordinal) && p.Contains("data.blob is not valid base64", StringComparison.Ordinal));
    }

    [Fact]
    public void The_leak_scanner_reads_last_applied_configuration_and_counts_redacted_values()
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml("""
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: applied
              namespace: a
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"applied"},"stringData":{"password":"plain-text-pw"}}'
            data: {password: eA==}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: saved, namespace: a}
            data: {API_TOKEN: "ksec-redacted:v1:len=40:sha256=0123456789abcdef", MODE: fast}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: a
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: '{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"DB_PASSWORD","value":"Applied-Pw-123"}]}]}}}}'
            spec: {template: {spec: {containers: [{name: c, image: x, args: ["--token=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"]}]}}}
            """ + "\n");
        LeakScanResult result = CredentialLeakScanner.Scan(snapshot, new CredentialDetector());
        Finding applied = Assert.Single(result.Findings, f => f.RuleId == SecretRules.SecretInLastApplied);
        Assert.Equal("stringData.password", applied.Evidence["Keys"]);
        Assert.Contains(result.Findings, f => f.Name == "saved" && f.Evidence["Detector"] == "RedactedAsCredential");
        Assert.Equal(1, result.RedactedValues);
        Assert.Contains(result.Findings, f => f.Name == "web" && f.Evidence["Detector"] == CredentialDetector.GitHubToken && f.Evidence["Location"].EndsWith(".args", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Name == "web" && f.Evidence["Location"].Contains("last-applied", StringComparison.Ordinal));
        Assert.All(result.Findings, f => Assert.DoesNotContain("Applied-Pw-123", f.Message, StringComparison.Ordinal));
    }
}
