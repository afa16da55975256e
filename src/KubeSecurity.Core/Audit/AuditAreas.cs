using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Credentials;
using KubeSecurity.Core.Network;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>What one area's run of an audit produced.</summary>
public sealed record AreaOutcome(IReadOnlyList<Finding> Findings, IReadOnlyList<string> Problems)
{
    /// <summary>Rules the area ran but could not decide, with the reason: a compliance view must not count them as passed.</summary>
    public IReadOnlyDictionary<string, string> NotCheckable { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// One analysis area of the security audit: its name, the category of its findings, the kinds it
/// reads (the kinds a live collection for it fetches, and whose absence makes its answer partial),
/// and how it runs on a snapshot.
/// </summary>
public sealed record AuditArea(string Name, string Category, IReadOnlyList<string> Kinds, Func<AuditContext, AreaOutcome> Run)
{
    /// <summary>The models of the audit context the area reads: an audit drops each after the last area that uses it.</summary>
    public SharedModels Uses { get; init; }

    /// <summary>
    /// The area allocates much while it runs and keeps little: an audit runs it first, while the
    /// heap holds little more than the snapshot, so its working memory does not come on top of the
    /// other areas' findings.
    /// </summary>
    public bool RunsFirst { get; init; }
}

/// <summary>The models an audit builds once and shares between areas.</summary>
[Flags]
public enum SharedModels
{
    None = 0,
    RbacPolicy = 1,
    NetworkModel = 2,
}

/// <summary>What areas of one audit share: the snapshot, the options, and models built once (the RBAC policy).</summary>
public sealed class AuditContext(KubeSnapshot snapshot, AuditOptions options, CancellationToken cancellationToken)
{
    private RbacPolicy? policy;

    public KubeSnapshot Snapshot { get; } = snapshot;
    public AuditOptions Options { get; } = options;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The RBAC policy of the snapshot, built on first use (RBAC and Secrets both need it).</summary>
    public RbacPolicy Policy => policy ??= RbacPolicy.Build(Snapshot, Options.DefaultRbac, CancellationToken);

    private NetworkModel? network;

    /// <summary>The network model of the snapshot, built on first use (Network and AttackPaths both need it).</summary>
    public NetworkModel Network => network ??= NetworkModel.Build(Snapshot, null, CancellationToken);

    /// <summary>The shared models built and not yet dropped.</summary>
    internal SharedModels Held => (policy is null ? SharedModels.None : SharedModels.RbacPolicy) | (network is null ? SharedModels.None : SharedModels.NetworkModel);

    /// <summary>Drops models no area still to run needs: they are a large part of what a big audit holds.</summary>
    internal void Drop(SharedModels models)
    {
        if (models.HasFlag(SharedModels.RbacPolicy))
        {
            policy = null;
        }

        if (models.HasFlag(SharedModels.NetworkModel))
        {
            network = null;
        }
    }
}

/// <summary>
/// The registry of audit areas. The security audit, its -Category choices, each area cmdlet's
/// collected kinds and the partial-result notes all derive from it: adding an area is one entry here.
/// </summary>
public static class AuditAreas
{
    /// <summary>The category of findings about the input itself (kinds not collected, unreadable documents), reported by every audit.</summary>
    public const string CoverageCategory = "Coverage";

    /// <summary>The kinds that hold RBAC grants; without one of them an RBAC answer is partial.</summary>
    public static IReadOnlyList<string> RbacObjects { get; } = new[] { "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding" };

    public static AuditArea Certificates { get; } = new("Certificates", CertificateRules.Category,
        new[] { "Secret", "ConfigMap", "CertificateSigningRequest", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "Ingress" },
        RunCertificates) { RunsFirst = true };

    public static AuditArea Rbac { get; } = new("RBAC", RbacRules.Category,
        RbacObjects.Concat(new[] { "ServiceAccount", "Pod", "Namespace", "ConfigMap" }).Concat(WorkloadKinds.All).Distinct(StringComparer.Ordinal).ToArray(),
        context =>
        {
            RbacPolicy policy = context.Policy;
            List<Finding> findings = RbacReview.Run(context.Snapshot, policy, null, null, context.CancellationToken);
            return new AreaOutcome(findings, policy.Problems.Select(p => p.ToString()).ToList());
        }) { Uses = SharedModels.RbacPolicy };

    public static AuditArea Network { get; } = new("Network", NetworkRules.Category,
        new[] { "Namespace", "Pod", "Node", "NetworkPolicy", "Ingress", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy" }.Concat(WorkloadKinds.All).ToArray(),
        context =>
        {
            NetworkModel model = context.Network;
            return new AreaOutcome(NetworkRiskAnalyzer.Analyze(model, context.Snapshot), model.Problems.Select(p => p.ToString()).ToList());
        }) { Uses = SharedModels.NetworkModel };

    public static AuditArea Secrets { get; } = new("Secrets", SecretRules.Category,
        new[] { "Secret", "ConfigMap", "ServiceAccount", "Pod", "Namespace" }.Concat(WorkloadKinds.All).Concat(RbacObjects).ToArray(),
        RunSecrets) { Uses = SharedModels.RbacPolicy };

    public static AuditArea Workloads { get; } = new("Workloads", WorkloadRules.Category,
        new[] { "Namespace", "Pod" }.Concat(WorkloadKinds.All).Concat(new[] { "ResourceQuota", "LimitRange", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration" }).ToArray(),
        context => new AreaOutcome(PodSecurityAnalyzer.Analyze(context.Snapshot, context.Options.RestrictedPodSecurity), Array.Empty<string>()));

    public static AuditArea ControlPlane { get; } = new("ControlPlane", ControlPlaneRules.Category,
        new[] { "Pod" },
        context =>
        {
            List<ControlCheck> checks = Core.ControlPlane.ControlPlaneAnalyzer.Check(context.Snapshot);
            return new AreaOutcome(Core.ControlPlane.ControlPlaneAnalyzer.Findings(context.Snapshot, checks), Array.Empty<string>()) { NotCheckable = NotCheckableOf(checks) };
        });

    public static AuditArea Kubelet { get; } = new("Kubelet", KubeletRules.Category,
        new[] { "ConfigMap" },
        context =>
        {
            var problems = new List<string>();
            List<ControlCheck> checks = Core.ControlPlane.KubeletAnalyzer.Check(Core.ControlPlane.KubeletConfigurations.Find(context.Snapshot, problems));
            return new AreaOutcome(Core.ControlPlane.KubeletAnalyzer.Findings(checks, context.Snapshot.Cluster ?? context.Snapshot.Context ?? "input"), problems) { NotCheckable = NotCheckableOf(checks) };
        });

    public static AuditArea AttackPaths { get; } = new("AttackPaths", AttackPathRules.Category,
        RbacObjects.Concat(new[] { "ServiceAccount", "Pod", "Node", "Namespace", "Service", "Ingress", "NetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy" }).Concat(WorkloadKinds.All).Distinct(StringComparer.Ordinal).ToArray(),
        context => new AreaOutcome(Core.AttackPaths.AttackPathAnalyzer.Analyze(context.Snapshot, context.Policy, context.Network, context.CancellationToken), Array.Empty<string>())) { Uses = SharedModels.RbacPolicy | SharedModels.NetworkModel };

    /// <summary>Every area, in the order summaries list them (an audit runs those that share models first).</summary>
    public static IReadOnlyList<AuditArea> All { get; } = new[] { Certificates, Rbac, Network, Secrets, Workloads, ControlPlane, Kubelet, AttackPaths };

    /// <summary>The categories a user can choose (-Category): each area's, and Coverage.</summary>
    public static IReadOnlyList<string> Categories { get; } = All.Select(a => a.Category).Append(CoverageCategory).ToArray();

    /// <summary>The area of a name or category (case-insensitive), or null.</summary>
    public static AuditArea? Find(string nameOrCategory) =>
        All.FirstOrDefault(a => string.Equals(a.Name, nameOrCategory, StringComparison.OrdinalIgnoreCase) || string.Equals(a.Category, nameOrCategory, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Rules whose input the audit does not read, with the cmdlet that decides each: an audit that
    /// found nothing of them has not passed them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DecidedElsewhere { get; } = EncryptionRules.All.Select(r => (r.Id, "Test-KubeEncryptionConfiguration (the API server's EncryptionConfiguration file)"))
        .Concat(AuditLogRules.All.Select(r => (r.Id, "Test-KubeAuditEvent (the API server's audit log)")))
        .Concat(RotationRules.All.Select(r => (r.Id, "Test-KubeCertificateRotation")))
        .Append((CertificateRules.KubeconfigClientCertificate, "Test-KubeCertificate on a kubeconfig"))
        .Append((CertificateRules.NotFromTrustedCa, "Test-KubeCertificate with the CA expected"))
        .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

    /// <summary>The Pod Security Standards Restricted rules, which run only with -RestrictedPodSecurity.</summary>
    public static IReadOnlySet<string> RestrictedOnly { get; } = new HashSet<string>(
        new[] { WorkloadRules.VolumeTypes, WorkloadRules.PrivilegeEscalation, WorkloadRules.RunAsNonRoot, WorkloadRules.SeccompRequired, WorkloadRules.DropAllCapabilities }, StringComparer.Ordinal);

    /// <summary>The rules an area runs under these options.</summary>
    public static IEnumerable<string> RulesOf(AuditArea area, AuditOptions options) =>
        RuleCatalog.All.Where(r => r.Category == area.Category && !DecidedElsewhere.ContainsKey(r.Id) && (options.RestrictedPodSecurity || !RestrictedOnly.Contains(r.Id)))
            .Select(r => r.Id);

    private static Dictionary<string, string> NotCheckableOf(IEnumerable<ControlCheck> checks)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ControlCheck check in checks.Where(c => c.Status == ControlStatus.NotCheckable))
        {
            reasons.TryAdd(check.RuleId, check.Detail);
        }

        return reasons;
    }

    private static AreaOutcome RunCertificates(AuditContext context)
    {
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(context.Snapshot);
        List<CertificateInfo> certificates = inventory.Build(context.Options.AsOf, context.CancellationToken);
        var problems = new List<CertificateProblem>(inventory.Problems);
        var findings = new List<Finding>(CertificateAnalyzer.Analyze(context.Snapshot, certificates, new CertificateCheckOptions { AsOf = context.Options.AsOf }, problems, inventory.TlsLeaves(), context.CancellationToken));
        (List<CertificateSigningRequestInfo> requests, List<CertificateProblem> csrProblems) = CsrReader.Read(context.Snapshot, context.Options.AsOf);
        findings.AddRange(CsrAnalyzer.Analyze(requests));
        return new AreaOutcome(findings, problems.Concat(csrProblems).Select(p => p.ToString()).ToList());
    }

    private static AreaOutcome RunSecrets(AuditContext context)
    {
        SecretReviewResult review = SecretAnalyzer.Analyze(context.Snapshot, context.Policy, new SecretReviewOptions { AsOf = context.Options.AsOf });
        LeakScanResult leaks = CredentialLeakScanner.Scan(context.Snapshot, new CredentialDetector(), context.CancellationToken);
        return new AreaOutcome(review.Findings.Concat(leaks.Findings).ToList(), review.Problems.Concat(leaks.Problems).ToList());
    }
}
