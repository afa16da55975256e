using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// What each workload's identity is worth to an attacker who runs code in one of its containers:
/// the service account's effective permissions (through its own bindings and the groups every
/// service account is in), whether the token is in the pods at all, and whether the account can
/// become cluster-admin (the escalation graph's shortest chain). The view KubiScan and
/// rbac-police give, tied to pods and nodes.
/// </summary>
public static class WorkloadIdentityAnalyzer
{
    /// <summary>Chains longer than this are not followed (as Get-KubeRbacEscalationPath's default depth).</summary>
    public const int MaxChainLength = 4;

    public static List<WorkloadIdentity> Describe(KubeSnapshot snapshot, RbacPolicy policy, RbacEscalationGraph? graph, CancellationToken cancellationToken = default) =>
        Describe(snapshot, policy, graph is null ? null : () => graph, cancellationToken);

    /// <param name="graph">
    /// Builds the escalation graph on first need: every move in it takes a permission of the risky
    /// catalogue, so an account with none of them has no chain, and a cluster whose workloads all run
    /// as such accounts never pays for the graph.
    /// </param>
    public static List<WorkloadIdentity> Describe(KubeSnapshot snapshot, RbacPolicy policy, Func<RbacEscalationGraph>? graph, CancellationToken cancellationToken = default)
    {
        Lazy<RbacEscalationGraph>? lazyGraph = graph is null ? null : new Lazy<RbacEscalationGraph>(graph);
        var byAccount = new Dictionary<string, (IdentityRisk Risk, List<string> Capabilities, string? Chain, int? Steps, string? Assumed)>(StringComparer.Ordinal);
        var result = new List<WorkloadIdentity>();
        foreach ((PodSpecSite site, RbacSubject account, bool mounted, string how, IReadOnlyList<string> nodes, IReadOnlyList<string> running) in Placed(snapshot, cancellationToken))
        {
            string key = $"{site.Namespace}/{site.ServiceAccount}";
            if (!byAccount.TryGetValue(key, out var summary))
            {
                byAccount[key] = summary = Summarise(policy, lazyGraph, account);
            }

            result.Add(new WorkloadIdentity(site.Owner.ToResourceRef(), account, policy.ServiceAccountExists(site.Namespace, site.ServiceAccount),
                mounted, how, summary.Risk, summary.Capabilities, summary.Chain, running, nodes)
            { AssumedDefault = summary.Assumed, EscalationSteps = summary.Steps });
        }

        return result;
    }

    /// <summary>
    /// Each pod spec with its account, whether the token is mounted (and how), and its running pods
    /// and their nodes, without judging the accounts' permissions: what the attack graph needs, at a
    /// fraction of <see cref="Describe(KubeSnapshot, RbacPolicy, Func{RbacEscalationGraph}?, CancellationToken)"/>'s cost.
    /// </summary>
    internal static IEnumerable<(PodSpecSite Site, RbacSubject Account, bool TokenMounted, string TokenMount, IReadOnlyList<string> Nodes, IReadOnlyList<string> Running)> Placed(KubeSnapshot snapshot, CancellationToken cancellationToken)
    {
        var accounts = snapshot.OfKind("ServiceAccount").GroupBy(sa => $"{sa.Namespace}/{sa.Name}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var pods = new PodIndex(snapshot);
        foreach (PodSpecSite site in PodSpecs.Find(snapshot))
        {
            cancellationToken.ThrowIfCancellationRequested();
            (bool mounted, string how) = TokenMount(site, accounts.GetValueOrDefault($"{site.Namespace}/{site.ServiceAccount}"));
            List<KubeObject> running = pods.Of(site);
            List<string> nodes = running.Select(p => JsonRead.String(JsonRead.Property(p.Json, "spec"), "nodeName")).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            yield return (site, RbacSubject.ServiceAccount(site.Namespace, site.ServiceAccount), mounted, how, nodes, running.Select(p => $"{p.Namespace}/{p.Name}").ToList());
        }
    }

    /// <summary>KSEC-RBAC-024 for each workload whose pods carry a token that is, or becomes, cluster-admin.</summary>
    public static IEnumerable<Finding> Findings(IEnumerable<WorkloadIdentity> identities)
    {
        foreach (WorkloadIdentity identity in identities.Where(i => i.TokenMounted && i.EscalationChain is not null))
        {
            bool holds = identity.EscalationSteps == 0;
            string where = identity.Pods.Count == 0
                ? "its pods"
                : $"its {identity.Pods.Count} pod(s) ({string.Join(", ", identity.Pods.Take(5))}{(identity.Pods.Count > 5 ? ", ..." : string.Empty)}){(identity.Nodes.Count > 0 ? $" on node(s) {string.Join(", ", identity.Nodes.Take(5))}" : string.Empty)}";
            string message = holds
                ? $"{identity.Workload} runs as {identity.ServiceAccount}, which is cluster-admin; the token is mounted ({identity.TokenMount}), so code execution in any container of {where} controls the cluster."
                : $"{identity.Workload} runs as {identity.ServiceAccount}, which can become cluster-admin ({identity.EscalationChain}); the token is mounted ({identity.TokenMount}), so code execution in any container of {where} leads there.";
            if (identity.AssumedDefault is string assumed)
            {
                message += $" This relies on {assumed}.";
            }

            var evidence = new EvidenceDictionary
            {
                ["ServiceAccount"] = identity.ServiceAccount.ToString(),
                ["Escalation"] = identity.EscalationChain!,
                ["TokenMount"] = identity.TokenMount,
                ["Capabilities"] = string.Join("; ", identity.Capabilities),
                ["Pods"] = string.Join(", ", identity.Pods),
                ["Nodes"] = string.Join(", ", identity.Nodes),
                ["Subject"] = identity.ServiceAccount.ToString(),
            };
            if (identity.AssumedDefault is string assumption)
            {
                evidence["AssumedRole"] = assumption;
            }

            yield return RuleCatalog.CreateFinding(RbacRules.WorkloadIdentityAdmin, identity.Workload, message, evidence, holds ? Severity.Critical : Severity.High);
        }
    }

    private const string FullControl = "full control (every verb on every resource)";

    private static (IdentityRisk, List<string>, string?, int?, string?) Summarise(RbacPolicy policy, Lazy<RbacEscalationGraph>? graph, RbacSubject account)
    {
        RbacIdentity identity = RbacIdentity.For(account);
        List<RbacGrant> grants = policy.GrantsOf(identity);
        var capabilities = new List<string>();
        IdentityRisk risk = IdentityRisk.None;
        string? assumed = null;
        if (grants.Any(g => g.Binding.IsClusterWide && RiskyPermission.IsFullControl(g.Rule)))
        {
            capabilities.Add(FullControl);
            risk = IdentityRisk.Critical;
        }

        foreach (RiskyPermission permission in RiskyPermission.All)
        {
            // A list only for the few permissions an account has: thousands of accounts times every risky permission.
            List<RbacGrant>? allowing = null;
            foreach (RbacGrant g in grants)
            {
                if (permission.IsAllowedBy(g.Rule)
                    && (g.Binding.IsClusterWide || !permission.ClusterScopedOnly && (permission.OnlyIn is null || permission.OnlyIn == g.Binding.Namespace)))
                {
                    (allowing ??= new List<RbacGrant>()).Add(g);
                }
            }

            if (allowing is null)
            {
                continue;
            }

            bool clusterWide = allowing.Any(g => g.Binding.IsClusterWide);
            capabilities.Add($"{permission.What} {(clusterWide ? "in every namespace" : $"in {string.Join(", ", allowing.Select(g => g.Binding.Namespace).Distinct(StringComparer.Ordinal))}")}");
            Severity severity = RuleCatalog.Get(permission.RuleId).Severity;
            IdentityRisk level = ToRisk(clusterWide || permission.OnlyIn is not null ? severity : RbacRiskAnalyzer.Lower(severity));
            risk = level > risk ? level : risk;
            assumed ??= allowing.Select(g => g.Binding.Assumption).FirstOrDefault(a => a is not null);
        }

        string? chain = null;
        int? steps = null;
        if (graph is not null && capabilities.Count > 0 && graph.Value.PathsOf(account, MaxChainLength, alternatives: false, includeDirect: true) is [RbacEscalationPath path, ..])
        {
            steps = path.Steps is [{ Technique: "Holds" }] ? 0 : path.Length;
            chain = steps == 0
                ? "holds it directly"
                : $"{path.Chain}, in {path.Length} step(s): {string.Join("; ", path.Steps.Select(s => s.Description))}";
            risk = IdentityRisk.Critical;
        }

        if (risk == IdentityRisk.None && grants.Any(g => !g.Binding.IsSystemDefault))
        {
            risk = IdentityRisk.Low; // grants of its own, none of them dangerous
        }

        return (risk, capabilities, chain, steps, assumed ?? grants.Where(g => RiskyPermission.IsFullControl(g.Rule)).Select(g => g.Binding.Assumption).FirstOrDefault(a => a is not null));
    }

    /// <summary>
    /// Whether the pods get the account's token: the pod's automountServiceAccountToken wins over the
    /// account's; a projected serviceAccountToken volume mounts one whatever either says.
    /// </summary>
    private static (bool Mounted, string How) TokenMount(PodSpecSite site, KubeObject? account)
    {
        if (site.IsStaticPod)
        {
            return (false, "none: a static pod (mirror pod) gets no service-account token");
        }

        foreach (JsonElement volume in JsonRead.Array(site.Spec, "volumes"))
        {
            if (JsonRead.Array(JsonRead.Property(volume, "projected"), "sources").Any(s => JsonRead.Property(s, "serviceAccountToken").ValueKind == JsonValueKind.Object))
            {
                return (true, $"projected volume '{JsonRead.String(volume, "name")}'");
            }
        }

        JsonElement podSetting = JsonRead.Property(site.Spec, "automountServiceAccountToken");
        if (podSetting.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            bool on = podSetting.ValueKind == JsonValueKind.True;
            return (on, on ? "automountServiceAccountToken is true in the pod spec" : "disabled: automountServiceAccountToken is false in the pod spec");
        }

        if (account is not null && JsonRead.Property(account.Json, "automountServiceAccountToken").ValueKind == JsonValueKind.False)
        {
            return (false, "disabled: automountServiceAccountToken is false on the service account");
        }

        return (true, "automatic: automountServiceAccountToken is not false");
    }

    private static IdentityRisk ToRisk(Severity severity) => severity switch
    {
        Severity.Critical => IdentityRisk.Critical,
        Severity.High => IdentityRisk.High,
        Severity.Medium => IdentityRisk.Medium,
        _ => IdentityRisk.Low,
    };

    /// <summary>Running pods by the workload that owns them, following ownerReferences up (Pod -> ReplicaSet -> Deployment, Pod -> Job -> CronJob).</summary>
    private sealed class PodIndex
    {
        private readonly Dictionary<string, List<KubeObject>> podsByTop = new(StringComparer.Ordinal);

        public PodIndex(KubeSnapshot snapshot)
        {
            var owners = new Dictionary<string, KubeObject>(StringComparer.Ordinal);
            foreach (KubeObject o in WorkloadKinds.All.SelectMany(snapshot.OfKind))
            {
                owners[$"{o.Kind}/{o.Namespace}/{o.Name}"] = o;
            }

            foreach (KubeObject pod in snapshot.OfKind("Pod"))
            {
                string? phase = JsonRead.String(JsonRead.Property(pod.Json, "status"), "phase");
                if (phase is "Succeeded" or "Failed")
                {
                    continue;
                }

                KubeObject top = pod;
                for (int depth = 0; depth < 4 && Owner(top) is (string kind, string name) && owners.TryGetValue($"{kind}/{pod.Namespace}/{name}", out KubeObject? up); depth++)
                {
                    top = up;
                }

                string key = $"{top.Kind}/{top.Namespace}/{top.Name}";
                if (!podsByTop.TryGetValue(key, out List<KubeObject>? list))
                {
                    podsByTop[key] = list = new List<KubeObject>();
                }

                list.Add(pod);
            }
        }

        public List<KubeObject> Of(PodSpecSite site) =>
            podsByTop.GetValueOrDefault($"{site.Owner.Kind}/{site.Owner.Namespace}/{site.Owner.Name}") ?? new List<KubeObject>();

        private static (string Kind, string Name)? Owner(KubeObject o)
        {
            foreach (JsonElement owner in JsonRead.Array(JsonRead.Property(o.Json, "metadata"), "ownerReferences"))
            {
                if (JsonRead.Property(owner, "controller").ValueKind == JsonValueKind.True || JsonRead.Array(JsonRead.Property(o.Json, "metadata"), "ownerReferences").Count == 1)
                {
                    return JsonRead.String(owner, "kind") is string kind && JsonRead.String(owner, "name") is string name ? (kind, name) : null;
                }
            }

            return null;
        }
    }
}
