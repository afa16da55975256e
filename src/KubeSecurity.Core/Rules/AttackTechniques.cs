namespace KubeSecurity.Core.Rules;

/// <summary>One move of the attack graph, documented like a rule: what it takes, how easy it is (1 trivial, 3 needs skill), how to cut it.</summary>
public sealed record AttackTechnique(string Id, string Name, string Tactic, int Ease, string Description, string Cut, IReadOnlyList<string> References);

/// <summary>
/// The techniques the attack graph joins (the edges of Get-KubeAttackPath), with MITRE ATT&amp;CK for
/// Containers and Kubernetes threat-matrix references. Facts only; the graph decides when each applies.
/// </summary>
public static class AttackTechniques
{
    public const string LoadBalancer = "KSEC-AT-001";
    public const string NodePort = "KSEC-AT-002";
    public const string Ingress = "KSEC-AT-003";
    public const string HostPort = "KSEC-AT-004";
    public const string Lateral = "KSEC-AT-005";
    public const string Privileged = "KSEC-AT-010";
    public const string HostPidPtrace = "KSEC-AT-011";
    public const string HostPath = "KSEC-AT-012";
    public const string RuntimeSocket = "KSEC-AT-013";
    public const string SysAdmin = "KSEC-AT-014";
    public const string SysModule = "KSEC-AT-015";
    public const string WorkloadToken = "KSEC-AT-020";
    public const string NodeTokens = "KSEC-AT-021";
    public const string RbacEscalation = "KSEC-AT-030";
    public const string ReadSecrets = "KSEC-AT-031";

    private const string Threats = "https://microsoft.github.io/Threat-Matrix-for-Kubernetes/";

    public static IReadOnlyList<AttackTechnique> All { get; } = new AttackTechnique[]
    {
        new(LoadBalancer, "Reach a workload through a LoadBalancer Service", "Initial Access", 1,
            "A Service of type LoadBalancer gives the workload's pods an address outside the cluster; when no NetworkPolicy keeps traffic from outside the cluster away from them, anyone who reaches the load balancer reaches the pods on the Service's target ports.",
            "Make the Service internal (ClusterIP, or an internal load balancer), or restrict its loadBalancerSourceRanges and isolate the pods' ingress with a NetworkPolicy.",
            new[] { "MITRE ATT&CK T1190", "MITRE ATT&CK T1133", Threats }),
        new(NodePort, "Reach a workload through a NodePort Service", "Initial Access", 1,
            "A Service of type NodePort opens a port on every node; whoever reaches a node's address reaches the workload's pods, unless a NetworkPolicy keeps traffic from outside the cluster away from them.",
            "Use a ClusterIP Service behind an ingress controller, or isolate the pods' ingress with a NetworkPolicy and firewall the node ports.",
            new[] { "MITRE ATT&CK T1190", "MITRE ATT&CK T1133", Threats }),
        new(Ingress, "Reach a workload through an Ingress", "Initial Access", 1,
            "An Ingress routes outside traffic through the ingress controller to a backend Service's pods; the controller's pods must be allowed to reach them.",
            "Remove the route, put authentication in front of it, or deny the controller's pods in the backend's NetworkPolicy.",
            new[] { "MITRE ATT&CK T1190", Threats }),
        new(HostPort, "Reach a container through a host port", "Initial Access", 2,
            "A container port bound to the node's address (hostPort) is reachable by anyone who reaches the node, and NetworkPolicy does not filter it on every network plugin. Whether the node's address is reachable from outside depends on firewalls the snapshot does not show.",
            "Remove hostPort; expose the port through a Service.",
            new[] { "MITRE ATT&CK T1133", "CIS Kubernetes Benchmark 5.2.13" }),
        new(Lateral, "Move to another workload over the pod network", "Lateral Movement", 2,
            "From a compromised container, connect to another workload's pods on a port the network policies allow (evaluated with the full NetworkPolicy, AdminNetworkPolicy and Cilium semantics).",
            "Isolate the destination's ingress with a NetworkPolicy that admits only the clients it needs (start from a default deny).",
            new[] { "MITRE ATT&CK T1210", "CIS Kubernetes Benchmark 5.3.2" }),
        new(Privileged, "Escape a privileged container", "Privilege Escalation", 1,
            "A privileged container has every capability and the node's devices: mounting the node's disk or entering its namespaces gives root on the node.",
            "Remove securityContext.privileged; grant only the capabilities the container needs.",
            new[] { "MITRE ATT&CK T1611", "CIS Kubernetes Benchmark 5.2.2", "PSS Baseline: Privileged Containers" }),
        new(HostPidPtrace, "Escape through the host PID namespace with ptrace", "Privilege Escalation", 2,
            "With hostPID and CAP_SYS_PTRACE, a container can attach to or enter (nsenter) a process of the node running as root.",
            "Remove hostPID, and do not add SYS_PTRACE.",
            new[] { "MITRE ATT&CK T1611", "CIS Kubernetes Benchmark 5.2.3" }),
        new(HostPath, "Escape through a writable hostPath mount", "Privilege Escalation", 1,
            "A writable hostPath of /, /etc, /root, /var/lib/kubelet, /var/log, /proc, /sys, /dev, /boot, /usr or /lib lets a container change the node's files (cron, SSH keys, the kubelet's configuration, binaries) or, for /var/log, read any file of the node through the kubelet's log endpoint.",
            "Remove the hostPath volume, or mount a narrow path read-only.",
            new[] { "MITRE ATT&CK T1611", "CIS Kubernetes Benchmark 5.2.12", "PSS Baseline: HostPath Volumes" }),
        new(RuntimeSocket, "Escape through the container runtime socket", "Privilege Escalation", 1,
            "A mounted docker, containerd or CRI-O socket lets a container ask the runtime to start a privileged container on the node, even when the mount is read-only.",
            "Remove the runtime socket mount; build images with a rootless builder.",
            new[] { "MITRE ATT&CK T1611", "MITRE ATT&CK T1610" }),
        new(SysAdmin, "Escape with CAP_SYS_ADMIN", "Privilege Escalation", 2,
            "CAP_SYS_ADMIN allows mounting file systems (a cgroup's release_agent, the node's disk): the classic escapes need nothing else.",
            "Drop SYS_ADMIN (drop ALL and add back only what is needed).",
            new[] { "MITRE ATT&CK T1611", "PSS Baseline: Capabilities" }),
        new(SysModule, "Escape by loading a kernel module", "Privilege Escalation", 2,
            "CAP_SYS_MODULE lets a container load a kernel module into the node's kernel, which runs with full privilege.",
            "Drop SYS_MODULE.",
            new[] { "MITRE ATT&CK T1611", "MITRE ATT&CK T1547.006" }),
        new(WorkloadToken, "Use the workload's service-account token", "Credential Access", 1,
            "Code running in a container reads the service-account token mounted at /var/run/secrets/kubernetes.io/serviceaccount and acts as that account.",
            "Set automountServiceAccountToken: false on workloads that do not call the API, and grant the account only what it needs.",
            new[] { "MITRE ATT&CK T1528", "CIS Kubernetes Benchmark 5.1.6" }),
        new(NodeTokens, "Take the tokens of every pod on the node", "Credential Access", 1,
            "Root on a node reads the service-account tokens the kubelet mounts for every pod it runs, and the kubelet's own credentials (limited by the Node authorizer).",
            "Keep workloads whose accounts are powerful off nodes that run untrusted or exposed workloads (taints, node affinity), and disable token automount where it is not needed.",
            new[] { "MITRE ATT&CK T1528", "MITRE ATT&CK T1552.001" }),
        new(RbacEscalation, "Escalate through RBAC", "Privilege Escalation", 1,
            "An identity's grants let it become another identity or cluster-admin: create pods or tokens for a more powerful account, impersonate, bind or escalate roles, exec through nodes/proxy, approve its own certificate, or mutate pods with a webhook (each step names the move and the grant).",
            "Remove the grant the step names (the binding, or the subject from it).",
            new[] { "MITRE ATT&CK T1078", "MITRE ATT&CK T1098.006", "CIS Kubernetes Benchmark 5.1.8" }),
        new(ReadSecrets, "Read the secrets of a namespace", "Credential Access", 1,
            "An identity allowed to get or list secrets in a namespace reads every credential stored there.",
            "Remove the grant; keep secret read access to the namespace's own controllers.",
            new[] { "MITRE ATT&CK T1552.007", "CIS Kubernetes Benchmark 5.1.2" }),
    };

    public static AttackTechnique Get(string id) => All.First(t => t.Id == id);
}
