using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Workloads;

public class PodSecurityTests
{
    private static List<Finding> Demo(bool restricted) => PodSecurityAnalyzer.Analyze(RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster), restricted);

    [Fact]
    public void Every_planted_workload_problem_of_the_demo_cluster_is_found()
    {
        List<Finding> findings = Demo(restricted: false);
        // DEMO-POD-1: node-exporter.
        foreach (string rule in new[] { WorkloadRules.Privileged, WorkloadRules.HostPath, WorkloadRules.HostNamespaces, WorkloadRules.HostPorts })
        {
            Assert.Contains(findings, f => f.RuleId == rule && f.Kind == "DaemonSet" && f.Name == "node-exporter");
        }

        // DEMO-POD-2: the bare debug pod.
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.BaselineCapabilities && f.Name == "debug-shell" && f.Message.Contains("SYS_ADMIN", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.Privileged && f.Kind == "Pod" && f.Name == "debug-shell");
        // DEMO-POD-3: root and an untagged image.
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.RunAsRootUser && f.Name == "old-catalog");
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.MutableImageTag && f.Name == "old-catalog" && f.Message.Contains("without a tag", StringComparison.Ordinal));
        // DEMO-POD-4: :latest, no limits.
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.MutableImageTag && f.Name == "cart" && f.Message.Contains(":latest", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.NoResourceLimits && f.Name == "cart");
        // DEMO-POD-5: namespace labels.
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.PsaPrivileged && f.Name == "monitoring");
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.PsaAuditWithoutEnforce && f.Name == "ci");
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.PsaEnforceMissing && f.Name == "legacy");
        // DEMO-POD-6: the webhook.
        foreach (string rule in new[] { WorkloadRules.WebhookFailOpen, WorkloadRules.WebhookExemptions, WorkloadRules.WebhookTimeout })
        {
            Assert.Contains(findings, f => f.RuleId == rule && f.Name == "policy-guard");
        }

        // Pods a controller owns are reported through the owner only.
        Assert.DoesNotContain(findings, f => f.Kind == "Pod" && f.Name.StartsWith("node-exporter", StringComparison.Ordinal));
    }

    [Fact]
    public void The_hardened_demo_workloads_pass_every_restricted_control()
    {
        List<Finding> findings = Demo(restricted: true);
        string[] pssRules = Enumerable.Range(1, 17).Select(i => $"KSEC-POD-{i:000}").ToArray();
        Assert.DoesNotContain(findings, f => pssRules.Contains(f.RuleId) && f.Name is "payments-api" or "frontend");
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.RunAsNonRoot && f.Name == "cart");
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.DropAllCapabilities && f.Name == "cart");
    }

    [Fact]
    public void Restricted_controls_respect_pod_level_settings_and_container_overrides()
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml("""
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: a}
            spec:
              securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
              volumes: [{name: nfs, nfs: {server: x, path: /}}, {name: tmp, emptyDir: {}}]
              containers:
              - name: ok
                image: x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}
                resources: {limits: {cpu: 100m, memory: 64Mi}}
              - name: override
                image: x:1.0
                securityContext: {runAsNonRoot: false, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, seccompProfile: {type: Unconfined}, procMount: Unmasked}
                resources: {limits: {cpu: 100m, memory: 64Mi}}
            """ + "\n");
        List<Finding> findings = PodSecurityAnalyzer.Analyze(snapshot, restricted: true);
        Assert.Single(findings, f => f.RuleId == WorkloadRules.RunAsNonRoot && f.Evidence["Container"] == "override");
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.SeccompUnconfined && f.Evidence["Container"] == "override");
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.SeccompRequired && f.Evidence["Container"] == "override");
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.ProcMount);
        Assert.Single(findings, f => f.RuleId == WorkloadRules.VolumeTypes && f.Message.Contains("nfs", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Evidence.GetValueOrDefault("Container") == "ok" && f.RuleId != WorkloadRules.ImageNotPinned);
        Assert.Contains(findings, f => f.RuleId == WorkloadRules.ImageNotPinned && f.Evidence["Container"] == "override");
        Assert.DoesNotContain(PodSecurityAnalyzer.Analyze(snapshot, restricted: false), f => f.RuleId is WorkloadRules.VolumeTypes or WorkloadRules.RunAsNonRoot);
    }

    [Fact]
    public void A_security_switch_that_is_not_a_boolean_is_reported_not_silently_read_as_unset()
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml("""
            apiVersion: v1
            kind: Pod
            metadata: {name: odd, namespace: apps}
            spec:
              hostPID: "true"
              containers:
              - name: app
                image: registry.example/app:1
                securityContext: {privileged: "yes please", runAsNonRoot: true}
            """);
        List<Finding> findings = PodSecurityAnalyzer.Analyze(snapshot, restricted: false);
        List<Finding> wrong = findings.Where(f => f.RuleId == CoverageRules.InputNotRead).ToList();
        Assert.Equal(2, wrong.Count);
        Assert.Contains(wrong, f => f.Message.Contains("securityContext.privileged is the string 'yes please', not a boolean", StringComparison.Ordinal) && f.Evidence["Container"] == "app");
        Assert.Contains(wrong, f => f.Message.Contains("spec.hostPID is the string 'true'", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.RuleId == WorkloadRules.Privileged);
    }

    private static List<Finding> OnePod(string podSpec, string annotations = "{}") =>
        PodSecurityAnalyzer.Analyze(RbacFixtures.FromYaml($$"""
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: a, annotations: {{annotations}}}
            spec:
            {{podSpec}}
            """ + "\n"), restricted: false);

    // The Pod Security Standards (Baseline, AppArmor): the appArmorProfile type may be unset, RuntimeDefault or Localhost;
    // the annotation unset, runtime/default or localhost/<profile>. Everything else is a violation, not only "unconfined".
    [Theory]
    [InlineData("RuntimeDefault", false)]
    [InlineData("Localhost", false)]
    [InlineData("Unconfined", true)]
    [InlineData("Undefined", true)]
    [InlineData("runtimedefault", true)]
    public void Only_the_AppArmor_profile_types_Baseline_allows_pass(string type, bool violation)
    {
        List<Finding> findings = OnePod($"  containers: [{{name: c, image: 'x:1', securityContext: {{appArmorProfile: {{type: {type}}}}}}}]");
        Assert.Equal(violation, findings.Any(f => f.RuleId == WorkloadRules.AppArmor));
    }

    [Theory]
    [InlineData("runtime/default", false)]
    [InlineData("localhost/k8s-nginx", false)]
    [InlineData("unconfined", true)]
    [InlineData("runtime/defualt", true)]
    [InlineData("docker-default", true)]
    public void Only_the_AppArmor_annotations_Baseline_allows_pass(string value, bool violation)
    {
        List<Finding> findings = OnePod("  containers: [{name: c, image: 'x:1'}]", $"{{container.apparmor.security.beta.kubernetes.io/c: '{value}'}}");
        Assert.Equal(violation, findings.Any(f => f.RuleId == WorkloadRules.AppArmor));
    }

    // OCI image spec: a digest is algorithm:encoded; the registered ones are sha256 (64 hex) and sha512 (128 hex).
    [Theory]
    [InlineData("registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("registry.example/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("registry.example/app@sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", true)]
    [InlineData("registry.example/app@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("registry.example/app@md5:0123456789abcdef0123456789abcdef", true)]
    [InlineData("registry.example/app:1.2", true)]
    public void Only_a_valid_sha256_or_sha512_digest_pins_an_image(string image, bool notPinned)
    {
        List<Finding> findings = OnePod($"  containers: [{{name: c, image: '{image}'}}]");
        Assert.Equal(notPinned, findings.Any(f => f.RuleId == WorkloadRules.ImageNotPinned));
        if (!notPinned)
        {
            Assert.DoesNotContain(findings, f => f.RuleId is WorkloadRules.MutableImageTag or WorkloadRules.PullPolicy);
        }
    }

    [Fact]
    public void A_service_account_is_judged_missing_only_when_the_input_declares_the_namespace_s_accounts()
    {
        // Manifests that declare no account in the namespace cannot tell a missing one from one defined elsewhere.
        Assert.DoesNotContain(OnePod("  serviceAccountName: builder\n  containers: [{name: c, image: 'x:1'}]"), f => f.RuleId == WorkloadRules.MissingServiceAccount);

        List<Finding> findings = PodSecurityAnalyzer.Analyze(RbacFixtures.FromYaml("""
            ---
            {apiVersion: v1, kind: ServiceAccount, metadata: {name: web, namespace: a}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: p, namespace: a}, spec: {serviceAccountName: builder, containers: [{name: c, image: 'x:1'}]}}
            """ + "\n"), restricted: false);
        Assert.Contains("service account 'builder', which does not exist in namespace a", Assert.Single(findings, f => f.RuleId == WorkloadRules.MissingServiceAccount).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("{requests: {cpu: 1, memory: 1Gi}}", false)]
    [InlineData("{limits: {cpu: 1, memory: 1Gi}}", false)]
    [InlineData("{requests: {cpu: 1}}", true)]
    public void Requests_count_when_set_or_defaulted_from_limits(string resources, bool missing) =>
        Assert.Equal(missing, OnePod($"  containers: [{{name: c, image: 'x:1', resources: {resources}}}]").Any(f => f.RuleId == WorkloadRules.NoResourceRequests));

    [Theory]
    [InlineData("{seccomp.security.alpha.kubernetes.io/pod: runtime/default}", "seccompProfile")]
    [InlineData("{container.seccomp.security.alpha.kubernetes.io/c: runtime/default}", "seccompProfile")]
    [InlineData("{container.apparmor.security.beta.kubernetes.io/c: runtime/default}", "appArmorProfile")]
    public void Deprecated_security_annotations_name_the_field_that_replaced_them(string annotations, string field)
    {
        Finding finding = Assert.Single(OnePod("  containers: [{name: c, image: 'x:1'}]", annotations), f => f.RuleId == WorkloadRules.DeprecatedField);
        Assert.Contains(field, finding.Message, StringComparison.Ordinal);
    }
}
