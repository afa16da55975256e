using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Secrets;

public class EncryptionConfigurationTests
{
    private static readonly string Key32 = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static List<Finding> Analyze(string yaml) => EncryptionConfigurationAnalyzer.Analyze(yaml, "enc.yaml");

    [Fact]
    public void A_good_configuration_has_no_findings()
    {
        Assert.Empty(Analyze($$$"""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
            - resources: [secrets]
              providers:
              - kms: {apiVersion: v2, name: vault, endpoint: "unix:///var/run/kms.sock", timeout: 3s}
              - secretbox: {keys: [{name: k1, secret: {{{Key32}}}}]}
              - identity: {}
            """));
    }

    [Fact]
    public void Identity_first_weak_providers_bad_and_reused_keys_and_kms_settings_are_reported()
    {
        List<Finding> identity = Analyze($$$"""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
            - resources: [secrets]
              providers: [{identity: {}}, {aescbc: {keys: [{name: a, secret: {{{Key32}}}}]}}]
            - resources: [configmaps]
              providers:
              - aesgcm: {keys: [{name: b, secret: {{{Key32}}}}, {name: short, secret: c2hvcnQ=}, {name: bad, secret: "not base64!"}]}
              - kms: {name: legacy, endpoint: "tcp://10.0.0.5:8080"}
            """);
        Assert.Contains(identity, f => f.RuleId == EncryptionRules.IdentityFirst);
        Assert.Contains(identity, f => f.RuleId == EncryptionRules.KeyProblem && f.Message.Contains("same material", StringComparison.Ordinal));
        Assert.Contains(identity, f => f.RuleId == EncryptionRules.KeyProblem && f.Message.Contains("'short' is 5 bytes", StringComparison.Ordinal));
        Assert.Contains(identity, f => f.RuleId == EncryptionRules.KeyProblem && f.Message.Contains("'bad' is not valid base64", StringComparison.Ordinal));
        Assert.Contains(identity, f => f.RuleId == EncryptionRules.KmsSettings && f.Message.Contains("apiVersion v1", StringComparison.Ordinal) && f.Message.Contains("unix://", StringComparison.Ordinal));
        Assert.All(identity, f => Assert.DoesNotContain(Key32, f.Message + string.Join(" ", f.Evidence.Values), StringComparison.Ordinal));

        List<Finding> cbc = Analyze($$$"""
            kind: EncryptionConfiguration
            apiVersion: apiserver.config.k8s.io/v1
            resources: [{resources: [secrets], providers: [{aescbc: {keys: [{name: a, secret: {{{Key32}}}}]}}, {identity: {}}]}]
            """);
        Assert.Equal(Severity.Medium, Assert.Single(cbc, f => f.RuleId == EncryptionRules.WeakProvider).Severity);

        Assert.Equal(EncryptionRules.SecretsNotEncrypted, Assert.Single(Analyze("kind: EncryptionConfiguration\napiVersion: apiserver.config.k8s.io/v1\nresources: [{resources: [configmaps], providers: [{identity: {}}]}]")).RuleId);
        Assert.Throws<EncryptionConfigurationException>(() => Analyze("kind: ConfigMap\napiVersion: v1"));
        Assert.Throws<EncryptionConfigurationException>(() => Analyze("kind: [unclosed"));
    }
}
