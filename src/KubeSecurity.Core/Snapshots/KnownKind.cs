namespace KubeSecurity.Core.Snapshots;

/// <summary>A kind security analysis reads: where the API serves it and whether it is namespaced.</summary>
public sealed record KnownKind(string Kind, string Group, string Version, string Plural, bool Namespaced, bool Optional = false)
{
    // Optional kinds are served only where a CRD or an add-on is installed: a 404 means there are none, not that they are missing.

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, cluster-wide or in one namespace.</summary>
    public string ListPath(string? inNamespace = null)
    {
        string root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return inNamespace is null || !Namespaced ? $"{root}/{Plural}" : $"{root}/namespaces/{Uri.EscapeDataString(inNamespace)}/{Plural}";
    }
}

/// <summary>The kinds a snapshot collects. Anything else found in files is kept as an unknown kind.</summary>
public static class KnownKinds
{
    public static IReadOnlyList<KnownKind> All { get; } = new KnownKind[]
    {
        new("Namespace", "", "v1", "namespaces", false),
        new("Node", "", "v1", "nodes", false),
        new("Pod", "", "v1", "pods", true),
        new("Service", "", "v1", "services", true),
        new("ServiceAccount", "", "v1", "serviceaccounts", true),
        new("Secret", "", "v1", "secrets", true),
        new("ConfigMap", "", "v1", "configmaps", true),
        new("ResourceQuota", "", "v1", "resourcequotas", true),
        new("LimitRange", "", "v1", "limitranges", true),
        new("Deployment", "apps", "v1", "deployments", true),
        new("StatefulSet", "apps", "v1", "statefulsets", true),
        new("DaemonSet", "apps", "v1", "daemonsets", true),
        new("ReplicaSet", "apps", "v1", "replicasets", true),
        new("Job", "batch", "v1", "jobs", true),
        new("CronJob", "batch", "v1", "cronjobs", true),
        new("Ingress", "networking.k8s.io", "v1", "ingresses", true),
        new("NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies", true),
        new("Role", "rbac.authorization.k8s.io", "v1", "roles", true),
        new("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", false),
        new("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings", true),
        new("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", false),
        new("CertificateSigningRequest", "certificates.k8s.io", "v1", "certificatesigningrequests", false),
        new("ValidatingWebhookConfiguration", "admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", false),
        new("MutatingWebhookConfiguration", "admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", false),
        new("APIService", "apiregistration.k8s.io", "v1", "apiservices", false),
        new("AdminNetworkPolicy", "policy.networking.k8s.io", "v1alpha1", "adminnetworkpolicies", false, Optional: true),
        new("BaselineAdminNetworkPolicy", "policy.networking.k8s.io", "v1alpha1", "baselineadminnetworkpolicies", false, Optional: true),
        new("CiliumNetworkPolicy", "cilium.io", "v2", "ciliumnetworkpolicies", true, Optional: true),
        new("CiliumClusterwideNetworkPolicy", "cilium.io", "v2", "ciliumclusterwidenetworkpolicies", false, Optional: true),
    };

    private static readonly Dictionary<string, KnownKind> ByName = BuildIndex();

    private static Dictionary<string, KnownKind> BuildIndex()
    {
        var index = new Dictionary<string, KnownKind>(StringComparer.OrdinalIgnoreCase);
        foreach (KnownKind kind in All)
        {
            index[kind.Kind] = kind;
            index[kind.Plural] = kind;
        }

        return index;
    }

    /// <summary>Finds a kind by its name or plural resource name, case-insensitively.</summary>
    public static bool TryGet(string nameOrPlural, out KnownKind kind) => ByName.TryGetValue(nameOrPlural, out kind!);

    public static bool IsKnown(string kind) => (ByName.TryGetValue(kind, out KnownKind? known) && string.Equals(known.Kind, kind, StringComparison.Ordinal)) || Derived.Contains(kind);

    /// <summary>Kinds a snapshot holds without listing them: a node's kubelet configuration read from /configz.</summary>
    public static IReadOnlySet<string> Derived { get; } = new HashSet<string>(StringComparer.Ordinal) { "KubeletConfiguration" };
}
