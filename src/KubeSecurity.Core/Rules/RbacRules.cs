using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>Rules of RBAC review. CIS ids are those of the CIS Kubernetes Benchmark section 5.1.</summary>
public static class RbacRules
{
    public const string Category = "RBAC";
    public const string ClusterAdminBound = "KSEC-RBAC-001";
    public const string WildcardRule = "KSEC-RBAC-002";
    public const string SecretRead = "KSEC-RBAC-003";
    public const string PodExec = "KSEC-RBAC-004";
    public const string WorkloadCreate = "KSEC-RBAC-005";
    public const string EscalateOrBind = "KSEC-RBAC-006";
    public const string Impersonate = "KSEC-RBAC-007";
    public const string TokenCreate = "KSEC-RBAC-008";
    public const string NodeProxy = "KSEC-RBAC-009";
    public const string CsrApproval = "KSEC-RBAC-010";
    public const string WebhookWrite = "KSEC-RBAC-011";
    public const string PersistentVolumeCreate = "KSEC-RBAC-012";
    public const string DefaultServiceAccountBound = "KSEC-RBAC-013";
    public const string AnonymousBinding = "KSEC-RBAC-014";
    public const string AllAuthenticatedBinding = "KSEC-RBAC-015";
    public const string MissingRole = "KSEC-RBAC-016";
    public const string MissingServiceAccount = "KSEC-RBAC-017";
    public const string UnusedRole = "KSEC-RBAC-018";
    public const string AwsAuthMasters = "KSEC-RBAC-019";
    public const string CriticalDelete = "KSEC-RBAC-020";
    public const string KubeSystemConfigMapWrite = "KSEC-RBAC-021";
    public const string EphemeralContainers = "KSEC-RBAC-022";
    public const string NodeStatusWrite = "KSEC-RBAC-023";
    public const string WorkloadIdentityAdmin = "KSEC-RBAC-024";

    private const string RbacGoodPractices = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/";
    private const string RbacDocs = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/";

    private static SecurityRule Rule(string id, string title, Severity severity, string description, string remediation, params string[] references) =>
        new(id, title, severity, Category, description, remediation, references.Append(RbacGoodPractices).ToArray());

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        Rule(ClusterAdminBound, "Full control (cluster-admin or */*/*) granted outside the system defaults", Severity.Critical,
            "A binding grants every verb on every resource of every API group: cluster-wide that is cluster-admin; through a RoleBinding it is complete control of the namespace, its secrets and its RBAC.",
            "Bind a role that lists only the verbs and resources the subject needs; keep cluster-admin for break-glass accounts.",
            "CIS Kubernetes Benchmark 5.1.1", "MITRE ATT&CK T1078"),
        Rule(WildcardRule, "Wildcard verbs, resources or API groups", Severity.Medium,
            "A rule uses '*' for verbs, resources or API groups. It grants every present and future resource or verb, including ones added by later versions and CRDs.",
            "List the verbs, resources and API groups explicitly.",
            "CIS Kubernetes Benchmark 5.1.3"),
        Rule(SecretRead, "Read access to secrets", Severity.High,
            "The subject may get, list or watch secrets. list and watch return the secret values just as get does, so any of them discloses every secret in scope, service account tokens included.",
            "Remove secret access, or restrict it with resourceNames to the secrets the workload needs (resourceNames cannot restrict list or watch).",
            "CIS Kubernetes Benchmark 5.1.2", "MITRE ATT&CK T1552.007"),
        Rule(PodExec, "Exec, attach or port-forward into pods", Severity.High,
            "The subject may exec into, attach to or port-forward to pods: it can run commands in them and act with their service account tokens and mounted secrets.",
            "Grant pods/exec, pods/attach and pods/portforward only to break-glass roles, scoped to one namespace.",
            "MITRE ATT&CK T1609"),
        Rule(WorkloadCreate, "Create or change pods or pod controllers", Severity.Medium,
            "The subject may create or update pods or controllers that create pods. A pod can run as any service account of its namespace and mount its secrets, so this is that service account's power.",
            "Grant workload creation to deployment pipelines only, per namespace; keep powerful service accounts out of namespaces where others create pods.",
            "CIS Kubernetes Benchmark 5.1.4"),
        Rule(EscalateOrBind, "escalate or bind on roles", Severity.High,
            "The subject may escalate (edit roles to grant permissions it does not hold) or bind (bind roles it does not hold), bypassing RBAC's privilege-escalation prevention.",
            "Remove escalate and bind; if binding is needed, restrict bind with resourceNames to specific roles.",
            "CIS Kubernetes Benchmark 5.1.8"),
        Rule(Impersonate, "Impersonation of users, groups or service accounts", Severity.High,
            "The subject may impersonate other identities and act with their permissions; impersonating the group system:masters is cluster-admin.",
            "Remove impersonate, or restrict it with resourceNames to the identities that are needed.",
            "CIS Kubernetes Benchmark 5.1.8"),
        Rule(TokenCreate, "Create service account tokens", Severity.High,
            "The subject may request tokens for service accounts (serviceaccounts/token create) and act as them.",
            "Remove create on serviceaccounts/token, or restrict it with resourceNames.",
            "CIS Kubernetes Benchmark 5.1.13"),
        Rule(NodeProxy, "Access to the kubelet API through nodes/proxy", Severity.High,
            "nodes/proxy reaches the kubelet API of every node, which can run commands in any pod there, bypassing admission and audit of pods/exec.",
            "Remove nodes/proxy; monitoring usually needs only nodes/metrics.",
            "CIS Kubernetes Benchmark 5.1.10"),
        Rule(CsrApproval, "Approve certificate signing requests", Severity.High,
            "The subject may approve certificate signing requests (certificatesigningrequests/approval with approve on a signer). With create on CSRs it can mint client certificates for any identity, system:masters included, which cannot be revoked.",
            "Leave CSR approval to the controller manager and node bootstrap; remove update on certificatesigningrequests/approval and approve on signers.",
            "CIS Kubernetes Benchmark 5.1.11"),
        Rule(WebhookWrite, "Write access to admission webhook configurations", Severity.High,
            "The subject may create, change or delete admission webhook configurations: a mutating webhook can rewrite every pod (inject containers, mount tokens), and deleting a validating one switches policy enforcement off.",
            "Restrict webhook configuration changes to cluster administrators.",
            "CIS Kubernetes Benchmark 5.1.12"),
        Rule(CriticalDelete, "Delete critical cluster resources", Severity.High,
            "The subject may delete (or delete collections of) namespaces, nodes, persistent volumes, custom resource definitions, ClusterRoles or ClusterRoleBindings: one request destroys every workload and secret of a namespace, the data of a volume, every custom resource of a kind, or the cluster's own RBAC.",
            "Grant delete on these kinds to cluster administrators only, and protect namespaces and volumes with admission policy or finalizers."),
        Rule(KubeSystemConfigMapWrite, "Change ConfigMaps in kube-system", Severity.High,
            "The subject may update or patch ConfigMaps in kube-system. aws-auth there maps cloud identities to Kubernetes groups (system:masters included), and coredns's Corefile decides where every name in the cluster resolves.",
            "Restrict ConfigMap writes in kube-system to cluster administrators; on EKS, manage identity mappings with access entries."),
        Rule(EphemeralContainers, "Add ephemeral containers to running pods", Severity.High,
            "The subject may add ephemeral containers to running pods (pods/ephemeralcontainers), which runs code of its choice inside them with their service account and volumes, like exec.",
            "Grant pods/ephemeralcontainers only to the people who debug workloads, and only in their namespaces."),
        Rule(NodeStatusWrite, "Change node status", Severity.Medium,
            "The subject may update or patch nodes/status, which lets it change what the scheduler believes about a node (capacity, conditions, addresses) and so steer pods to a node it controls.",
            "Leave nodes/status to the kubelets (system:node) and the node controller."),
        Rule(WorkloadIdentityAdmin, "Workload whose identity is or becomes cluster-admin", Severity.Critical,
            "A workload runs as a service account that holds full control of the cluster, or that can become cluster-admin through a chain of moves its permissions allow (creating pods as other accounts, reading their tokens, binding roles, impersonating), and its pods carry the token. Whoever runs code in one of its containers (a vulnerable dependency, an exposed debug endpoint) takes the cluster.",
            "Give the workload its own service account with only the permissions it needs (New-KubeRbacRole -AuditLog), break the chain at its first step, and set automountServiceAccountToken: false where the pods do not call the API.",
            "CIS Kubernetes Benchmark 5.1.1", "CIS Kubernetes Benchmark 5.1.6", "MITRE ATT&CK for Containers T1078.001", "NSA/CISA Kubernetes Hardening Guide: authentication and authorization"),
        Rule(PersistentVolumeCreate, "Create persistent volumes", Severity.Medium,
            "The subject may create PersistentVolumes; a hostPath volume gives pods that claim it the node's file system.",
            "Use StorageClasses and dynamic provisioning; remove create on persistentvolumes.",
            "CIS Kubernetes Benchmark 5.1.9"),
        Rule(DefaultServiceAccountBound, "Permissions granted to a default service account", Severity.Medium,
            "A binding grants permissions to a namespace's 'default' service account, which every pod without its own service account runs as.",
            "Create a dedicated service account for the workload that needs the permissions and bind that instead.",
            "CIS Kubernetes Benchmark 5.1.5"),
        Rule(AnonymousBinding, "Permissions granted to anonymous requests", Severity.Critical,
            "A binding grants permissions to system:anonymous or system:unauthenticated: anyone who can reach the API server has them.",
            "Remove the subject from the binding; serve public health endpoints without RBAC grants.",
            "MITRE ATT&CK T1190"),
        Rule(AllAuthenticatedBinding, "Permissions granted to every authenticated identity", Severity.High,
            "A binding grants permissions to system:authenticated (or every service account): every user, node and pod token in the cluster has them.",
            "Bind the permissions to the groups that need them instead.",
            "MITRE ATT&CK T1078"),
        Rule(MissingRole, "Binding to a role that does not exist", Severity.Medium,
            "The binding references a role missing from the cluster. It grants nothing today, but whoever creates a role with that name grants it to the binding's subjects.",
            "Delete the binding, or create the intended role.",
            RbacDocs),
        Rule(MissingServiceAccount, "Binding to a service account that does not exist", Severity.Medium,
            "The binding names a service account that does not exist. Whoever can create service accounts in that namespace can create it and inherit the binding's permissions.",
            "Delete the subject from the binding, or the binding.",
            RbacDocs),
        Rule(UnusedRole, "Role that no binding uses", Severity.Low,
            "No binding references the role and no aggregated role includes it. Unused roles are clutter that gets bound by mistake.",
            "Delete the role if nothing needs it.",
            RbacDocs),
        Rule(AwsAuthMasters, "aws-auth maps a cloud identity to system:masters", Severity.Critical,
            "The EKS aws-auth ConfigMap maps an IAM role or user to the group system:masters: everyone who can assume it is cluster-admin beyond RBAC, and removing the mapping is the only way to revoke it.",
            "Map the identity to a group bound to the permissions it needs; use EKS access entries with scoped policies.",
            "https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html", "CIS Kubernetes Benchmark 5.1.7"),
    };
}
