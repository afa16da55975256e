using KubeSecurity.Core.Rules;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// A kind of dangerous grant, defined by the requests that exercise it: a rule is risky when it
/// allows any of them, whatever wildcards or aggregation got it there.
/// </summary>
internal sealed record RiskyPermission(string RuleId, string What, bool ClusterScopedOnly, IReadOnlyList<RbacRequest> Requests)
{
    /// <summary>The one namespace where the permission is dangerous (kube-system's ConfigMaps), or null for any.</summary>
    public string? OnlyIn { get; init; }

    private static RbacRequest R(string verb, string resource, string group = "") => RbacRequest.ForResource(verb, resource, group);

    private static IEnumerable<RbacRequest> Each(IEnumerable<string> verbs, IEnumerable<(string Resource, string Group)> resources) =>
        verbs.SelectMany(v => resources.Select(r => R(v, r.Resource, r.Group)));

    private static readonly (string, string)[] PodControllers =
    {
        ("pods", ""), ("replicationcontrollers", ""), ("deployments", "apps"), ("statefulsets", "apps"), ("daemonsets", "apps"),
        ("replicasets", "apps"), ("jobs", "batch"), ("cronjobs", "batch"),
    };

    public static IReadOnlyList<RiskyPermission> All { get; } = new RiskyPermission[]
    {
        new(RbacRules.SecretRead, "read secrets", false, Each(new[] { "get", "list", "watch" }, new[] { ("secrets", "") }).ToList()),
        new(RbacRules.PodExec, "exec, attach or port-forward into pods", false,
            Each(new[] { "create", "get" }, new[] { ("pods/exec", ""), ("pods/attach", ""), ("pods/portforward", "") }).ToList()),
        new(RbacRules.WorkloadCreate, "create or change pods and pod controllers", false, Each(new[] { "create", "update", "patch" }, PodControllers).ToList()),
        new(RbacRules.EscalateOrBind, "escalate or bind roles", false,
            Each(new[] { "escalate", "bind" }, new[] { ("roles", "rbac.authorization.k8s.io"), ("clusterroles", "rbac.authorization.k8s.io") }).ToList()),
        new(RbacRules.Impersonate, "impersonate service accounts", false, new[] { R("impersonate", "serviceaccounts") }),
        new(RbacRules.Impersonate, "impersonate users or groups", true,
            Each(new[] { "impersonate" }, new[] { ("users", ""), ("groups", ""), ("uids", "authentication.k8s.io") }).ToList()),
        new(RbacRules.TokenCreate, "create service account tokens", false, new[] { R("create", "serviceaccounts/token") }),
        new(RbacRules.NodeProxy, "reach the kubelet through nodes/proxy", true, Each(new[] { "get", "create" }, new[] { ("nodes/proxy", "") }).ToList()),
        new(RbacRules.CsrApproval, "approve certificate signing requests", true, new[]
        {
            R("update", "certificatesigningrequests/approval", "certificates.k8s.io"), R("patch", "certificatesigningrequests/approval", "certificates.k8s.io"),
            R("approve", "signers", "certificates.k8s.io"),
        }),
        new(RbacRules.WebhookWrite, "change admission webhook configurations", true,
            Each(new[] { "create", "update", "patch", "delete" }, new[] { ("mutatingwebhookconfigurations", "admissionregistration.k8s.io"), ("validatingwebhookconfigurations", "admissionregistration.k8s.io") }).ToList()),
        new(RbacRules.PersistentVolumeCreate, "create persistent volumes", true, new[] { R("create", "persistentvolumes") }),
        new(RbacRules.CriticalDelete, "delete namespaces, nodes, persistent volumes, custom resource definitions or cluster RBAC", true,
            Each(new[] { "delete", "deletecollection" }, new[]
            {
                ("namespaces", ""), ("nodes", ""), ("persistentvolumes", ""), ("customresourcedefinitions", "apiextensions.k8s.io"),
                ("clusterroles", "rbac.authorization.k8s.io"), ("clusterrolebindings", "rbac.authorization.k8s.io"),
            }).ToList()),
        new(RbacRules.KubeSystemConfigMapWrite, "change ConfigMaps in kube-system (aws-auth, coredns)", false,
            Each(new[] { "update", "patch" }, new[] { ("configmaps", "") }).ToList()) { OnlyIn = "kube-system" },
        new(RbacRules.EphemeralContainers, "add ephemeral containers to running pods", false,
            Each(new[] { "create", "update", "patch" }, new[] { ("pods/ephemeralcontainers", "") }).ToList()),
        new(RbacRules.NodeStatusWrite, "change node status", true, Each(new[] { "update", "patch" }, new[] { ("nodes/status", "") }).ToList()),
    };

    /// <summary>Whether the rule allows any request of this risk; without building anything.</summary>
    public bool IsAllowedBy(RbacRule rule)
    {
        for (int i = 0; i < Requests.Count; i++)
        {
            RbacRequest request = Requests[i];
            // resourceNames narrows but does not remove the risk: test against a named object.
            bool allowed = rule.ResourceNames.Count > 0 ? rule.AllowsSomeName(request) : rule.Allows(request);
            if (allowed)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every verb on every resource in every group: cluster-admin's rule.</summary>
    public static bool IsFullControl(RbacRule rule) =>
        rule.NonResourceUrls.Count == 0 && rule.ResourceNames.Count == 0 && rule.Verbs.Contains("*") && rule.ApiGroups.Contains("*") && rule.Resources.Contains("*");

    public static bool HasWildcard(RbacRule rule) =>
        rule.Verbs.Contains("*") || rule.ApiGroups.Contains("*") || rule.Resources.Any(r => r == "*" || r.StartsWith("*/", StringComparison.Ordinal));
}
