using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>Rules of NetworkPolicy review, decided on the semantic model.</summary>
public static class NetworkRules
{
    public const string Category = "Network";
    public const string NamespaceWithoutPolicy = "KSEC-NET-001";
    public const string IngressNotIsolated = "KSEC-NET-002";
    public const string EgressNotIsolated = "KSEC-NET-003";
    public const string PolicySelectsNothing = "KSEC-NET-004";
    public const string IngressFromAnywhere = "KSEC-NET-005";
    public const string UnrestrictedEgress = "KSEC-NET-006";
    public const string DnsBlocked = "KSEC-NET-007";
    public const string ShadowedPolicy = "KSEC-NET-008";
    public const string UnresolvedNamedPort = "KSEC-NET-009";
    public const string HostNetworkOutOfScope = "KSEC-NET-010";
    public const string PolicyNotEvaluated = "KSEC-NET-011";
    public const string EmptyNamespaceWithoutDefaultDeny = "KSEC-NET-012";
    public const string IngressWithoutTls = "KSEC-NET-013";

    private const string Docs = "https://kubernetes.io/docs/concepts/services-networking/network-policies/";

    private static SecurityRule Rule(string id, string title, Severity severity, string description, string remediation, params string[] references) =>
        new(id, title, severity, Category, description, remediation, references.Append(Docs).ToArray());

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        Rule(NamespaceWithoutPolicy, "Namespace without any NetworkPolicy", Severity.Medium,
            "No NetworkPolicy exists in the namespace, so every pod in it accepts connections from any pod of the cluster and opens connections anywhere: one compromised pod reaches them all.",
            "Add a default-deny policy for ingress and egress (New-KubeNetworkPolicy -DefaultDeny) and allow what the workloads need (New-KubeNetworkPolicy -FromObserved).",
            "CIS Kubernetes Benchmark 5.3.2", "NSA/CISA Kubernetes Hardening Guide: network separation", "MITRE ATT&CK T1210"),
        Rule(IngressNotIsolated, "Workload not isolated for ingress", Severity.Medium,
            "No policy selects the workload's pods for ingress, so they accept connections from every pod and address, although other policies exist in the namespace.",
            "Select the pods with a policy that allows only their known clients, or add a namespace default-deny for ingress.",
            "CIS Kubernetes Benchmark 5.3.2"),
        Rule(EgressNotIsolated, "Workload not isolated for egress", Severity.Low,
            "No policy selects the workload's pods for egress, so a compromised pod can reach any pod, the API server, cloud metadata and the Internet.",
            "Add an egress policy that allows DNS and the destinations the workload needs.",
            "CIS Kubernetes Benchmark 5.3.2"),
        Rule(PolicySelectsNothing, "NetworkPolicy that selects no pods", Severity.Low,
            "The policy's podSelector matches no pod or workload template of its namespace, so it protects nothing; often a label typo.",
            "Fix the podSelector to match the intended pods, or delete the policy."),
        Rule(IngressFromAnywhere, "Ingress allowed from anywhere", Severity.Medium,
            "An ingress rule allows every source: it has no 'from', or a peer with an empty namespaceSelector (all namespaces) and no narrower podSelector, or an ipBlock of 0.0.0.0/0 or ::/0.",
            "Name the clients: the namespaces and pod labels (or address ranges) that need to connect, and the ports."),
        Rule(UnrestrictedEgress, "Unrestricted egress", Severity.Medium,
            "An egress rule allows every destination on every port (no 'to' and no 'ports', or 0.0.0.0/0 / ::/0), undoing egress isolation for the pods it selects.",
            "Allow only the destinations and ports the workload needs, and DNS."),
        Rule(DnsBlocked, "Egress policy blocks DNS", Severity.High,
            "The pods are isolated for egress and no rule allows UDP port 53 to the cluster DNS pods: name lookups fail, which usually breaks the workload.",
            "Add an egress rule to kube-system pods labelled k8s-app=kube-dns on UDP and TCP port 53 (New-KubeNetworkPolicy -DefaultDeny -Egress keeps it)."),
        Rule(ShadowedPolicy, "NetworkPolicy shadowed by a broader one", Severity.Low,
            "Another policy selects every pod this one selects and allows all traffic in the same direction, so this policy has no effect. It misleads reviewers about what is restricted.",
            "Remove or narrow the broader policy, or delete the shadowed one."),
        Rule(UnresolvedNamedPort, "Named port that resolves to nothing", Severity.Medium,
            "A rule names a port that no container of the destination pods declares, so the rule allows nothing; the traffic it was written for is blocked.",
            "Use the container port's name exactly as declared (and its protocol), or a port number."),
        Rule(HostNetworkOutOfScope, "Host-network pods are outside NetworkPolicy", Severity.Info,
            "Pods with hostNetwork: true use the node's network namespace; most network plugins do not apply NetworkPolicy to them, and this analysis does not answer for them.",
            "Run on the pod network where possible; protect host-network workloads with node firewalls.",
            "Kubernetes Pod Security Standards (Baseline: host namespaces)"),
        Rule(PolicyNotEvaluated, "Network policy object that is not evaluated", Severity.Info,
            "An object that can allow or deny pod traffic is not evaluated: a Calico NetworkPolicy or GlobalNetworkPolicy using features outside the modeled subset (Pass actions, not-selectors, service accounts, services, HTTP or ICMP matches, tiers other than default, nets over pod addresses), the parts of a Cilium policy evaluated only at L3/L4 (L7 rules, toFQDNs, toServices, toGroups), a ClusterNetworkPolicy (policy.networking.k8s.io v1alpha2), another CNI's or service mesh's policy kind, an AdminNetworkPolicy's sameLabels/notSameLabels, AdminNetworkPolicies sharing a priority (their order is undefined), or a network kind that could not be collected. Connectivity answers about the pods it could select are marked Completeness Partial and name it.",
            "Review the object by hand, or express it as Kubernetes NetworkPolicy or AdminNetworkPolicy; give AdminNetworkPolicies distinct priorities; grant list on the network kinds."),
        Rule(EmptyNamespaceWithoutDefaultDeny, "Empty namespace without a default-deny policy", Severity.Low,
            "The namespace has no workloads yet and no NetworkPolicy that selects all of its pods for ingress: the first workload deployed there starts open to every pod of the cluster, until someone remembers to add a policy.",
            "Create the default-deny policy with the namespace (New-KubeNetworkPolicy -DefaultDeny -Namespace NAME), so workloads arrive isolated.",
            "CIS Kubernetes Benchmark 5.3.2", "NSA/CISA Kubernetes Hardening Guide: network separation"),
        Rule(IngressWithoutTls, "Ingress without TLS", Severity.Medium,
            "An Ingress serves hosts that no entry of spec.tls covers, so their traffic (credentials, session cookies) crosses the network in clear text between clients and the ingress controller.",
            "Add a spec.tls entry listing every host, with a certificate Secret (New-KubeTlsSecret), and redirect HTTP to HTTPS in the ingress controller.",
            "NSA/CISA Kubernetes Hardening Guide: encrypt traffic", "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"),
    };
}
