namespace KubeSecurity.TestApiServer;

/// <summary>A resource the test server serves: group/version/plural, kind, scope.</summary>
public sealed record ServedResource(string Group, string Version, string Plural, string Kind, bool Namespaced, string Singular, params string[] ShortNames)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static IReadOnlyList<ServedResource> Defaults { get; } = new ServedResource[]
    {
        new("", "v1", "namespaces", "Namespace", false, "namespace", "ns"),
        new("", "v1", "nodes", "Node", false, "node", "no"),
        new("", "v1", "pods", "Pod", true, "pod", "po"),
        new("", "v1", "services", "Service", true, "service", "svc"),
        new("", "v1", "serviceaccounts", "ServiceAccount", true, "serviceaccount", "sa"),
        new("", "v1", "secrets", "Secret", true, "secret"),
        new("", "v1", "configmaps", "ConfigMap", true, "configmap", "cm"),
        new("", "v1", "resourcequotas", "ResourceQuota", true, "resourcequota", "quota"),
        new("", "v1", "limitranges", "LimitRange", true, "limitrange", "limits"),
        new("apps", "v1", "deployments", "Deployment", true, "deployment", "deploy"),
        new("apps", "v1", "statefulsets", "StatefulSet", true, "statefulset", "sts"),
        new("apps", "v1", "daemonsets", "DaemonSet", true, "daemonset", "ds"),
        new("apps", "v1", "replicasets", "ReplicaSet", true, "replicaset", "rs"),
        new("batch", "v1", "jobs", "Job", true, "job"),
        new("batch", "v1", "cronjobs", "CronJob", true, "cronjob", "cj"),
        new("networking.k8s.io", "v1", "ingresses", "Ingress", true, "ingress", "ing"),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, "networkpolicy", "netpol"),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", true, "role"),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, "clusterrole"),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, "rolebinding"),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, "clusterrolebinding"),
        new("certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest", false, "certificatesigningrequest", "csr"),
        new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false, "validatingwebhookconfiguration"),
        new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false, "mutatingwebhookconfiguration"),
        new("apiregistration.k8s.io", "v1", "apiservices", "APIService", false, "apiservice"),
        new("policy.networking.k8s.io", "v1alpha1", "adminnetworkpolicies", "AdminNetworkPolicy", false, "adminnetworkpolicy", "anp"),
        new("policy.networking.k8s.io", "v1alpha1", "baselineadminnetworkpolicies", "BaselineAdminNetworkPolicy", false, "baselineadminnetworkpolicy", "banp"),
        new("cilium.io", "v2", "ciliumnetworkpolicies", "CiliumNetworkPolicy", true, "ciliumnetworkpolicy", "cnp"),
        new("cilium.io", "v2", "ciliumclusterwidenetworkpolicies", "CiliumClusterwideNetworkPolicy", false, "ciliumclusterwidenetworkpolicy", "ccnp"),
    };
}
