using KubeSecurity.Core.AttackPaths;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.AttackPaths;

/// <summary>
/// Each technique's edge appears exactly when its preconditions hold and disappears when one is
/// removed; paths and choke points on graphs whose answer is known.
/// </summary>
public class AttackGraphTests
{
    private const string Digest = "@sha256:0000000000000000000000000000000000000000000000000000000000000000";

    private static AttackGraph Graph(string yaml)
    {
        KubeSnapshot snapshot = RbacFixtures.FromYaml(yaml);
        return AttackGraph.Build(snapshot, RbacPolicy.Build(snapshot));
    }

    private static string Deployment(string ns, string name, string podSpec = "", string container = "", string labels = "") => $"""
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec:
          selector: {"{"}matchLabels: {"{"}app: {name}{"}"}{"}"}
          template:
            metadata: {"{"}labels: {"{"}app: {name}{labels}{"}"}{"}"}
            spec:
              {(podSpec.Length == 0 ? "dnsPolicy: ClusterFirst" : podSpec)}
              containers:
              - name: main
                image: "busybox{Digest}"
                ports: [{"{"}name: http, containerPort: 8080{"}"}]
                {(container.Length == 0 ? "imagePullPolicy: IfNotPresent" : container)}

        """;

    private static string Service(string ns, string name, string type) => $"""
        ---
        apiVersion: v1
        kind: Service
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec:
          type: {type}
          selector: {"{"}app: {name}{"}"}
          ports: [{"{"}port: 80, targetPort: http{"}"}]

        """;

    private static string Namespace(string name) => $"---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}}}\n";

    private const string DenyAll = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny, namespace: web}
        spec: {podSelector: {}, policyTypes: [Ingress]}

        """;

    private static List<string> Techniques(IEnumerable<AttackPath> paths) => paths.SelectMany(p => p.Steps).Select(s => s.TechniqueId).Distinct().ToList();

    [Theory]
    [InlineData("LoadBalancer", AttackTechniques.LoadBalancer)]
    [InlineData("NodePort", AttackTechniques.NodePort)]
    public void A_Service_of_an_outside_type_exposes_its_pods_unless_it_is_internal_or_a_policy_isolates_them(string type, string technique)
    {
        string app = Namespace("web") + Deployment("web", "app", container: "securityContext: {privileged: true}");
        Assert.Contains(technique, Techniques(Graph(app + Service("web", "app", type)).Find("external", "node")));
        Assert.Empty(Graph(app + Service("web", "app", "ClusterIP")).Find("external", "node"));
        Assert.Empty(Graph(app + Service("web", "app", type) + DenyAll).Find("external", "node"));
    }

    [Fact]
    public void An_Ingress_exposes_its_backend_when_the_controller_may_reach_it()
    {
        string controller = Namespace("ingress") + Deployment("ingress", "controller") + Service("ingress", "controller", "LoadBalancer");
        string backend = Namespace("web") + Deployment("web", "app", container: "securityContext: {privileged: true}") + Service("web", "app", "ClusterIP") + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: app, namespace: web}
            spec:
              rules: [{host: app.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}}]

            """;
        AttackPath path = Assert.Single(Graph(controller + backend).Find("external", "node"), p => p.Steps[0].To == "Deployment/web/app");
        Assert.Equal(AttackTechniques.Ingress, path.Steps[0].TechniqueId);
        Assert.DoesNotContain(Graph(controller + backend + DenyAll).Find("external", "node"), p => p.Steps[0].TechniqueId == AttackTechniques.Ingress);
        // Without the controller in the input the route is assumed to work, and the path says so.
        Assert.Contains(Assert.Single(Graph(backend).Find("external", "node")).Caveats, c => c.Contains("ingress controller is not in the input", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_port_exposes_its_container_with_the_firewall_caveat()
    {
        string withPort = Namespace("web") + Deployment("web", "agent", container: "securityContext: {privileged: true}").Replace("containerPort: 8080", "containerPort: 8080, hostPort: 8080", StringComparison.Ordinal);
        AttackPath path = Assert.Single(Graph(withPort).Find("external", "node"));
        Assert.Equal(AttackTechniques.HostPort, path.Steps[0].TechniqueId);
        Assert.NotEmpty(path.Caveats);
        Assert.Empty(Graph(Namespace("web") + Deployment("web", "agent", container: "securityContext: {privileged: true}")).Find("external", "node"));
    }

    [Fact]
    public void Lateral_movement_follows_the_network_policies()
    {
        string cluster = Namespace("web") + Namespace("tools") + Deployment("web", "app") + Service("web", "app", "LoadBalancer")
            + Deployment("tools", "debugger", container: "securityContext: {privileged: true}");
        AttackPath path = Assert.Single(Graph(cluster).Find("external", "node"));
        Assert.Equal(new[] { AttackTechniques.LoadBalancer, AttackTechniques.Lateral, AttackTechniques.Privileged }, path.Steps.Select(s => s.TechniqueId));
        Assert.StartsWith("isolate Deployment/tools/debugger's ingress", path.Steps[1].Fix, StringComparison.Ordinal);

        const string onlyMonitoring = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: only-monitoring, namespace: tools}
            spec:
              podSelector: {matchLabels: {app: debugger}}
              policyTypes: [Ingress]
              ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]}]

            """;
        Assert.Empty(Graph(cluster + onlyMonitoring).Find("external", "node"));
    }

    public static TheoryData<string, string, string?> Escapes => new()
    {
        { "", "securityContext: {privileged: true}", AttackTechniques.Privileged },
        { "", "securityContext: {privileged: false}", null },
        { "", "securityContext: {capabilities: {add: [SYS_ADMIN]}}", AttackTechniques.SysAdmin },
        { "", "securityContext: {capabilities: {add: [CAP_SYS_MODULE]}}", AttackTechniques.SysModule },
        { "", "securityContext: {capabilities: {add: [NET_ADMIN]}}", null },
        { "hostPID: true", "securityContext: {capabilities: {add: [SYS_PTRACE]}}", AttackTechniques.HostPidPtrace },
        { "hostPID: true", "securityContext: {capabilities: {add: [NET_ADMIN]}}", null },
        { "volumes: [{name: root, hostPath: {path: /}}]", "volumeMounts: [{name: root, mountPath: /host}]", AttackTechniques.HostPath },
        { "volumes: [{name: root, hostPath: {path: /etc/}}]", "volumeMounts: [{name: root, mountPath: /host}]", AttackTechniques.HostPath },
        { "volumes: [{name: root, hostPath: {path: /}}]", "volumeMounts: [{name: root, mountPath: /host, readOnly: true}]", null },
        { "volumes: [{name: data, hostPath: {path: /srv/data}}]", "volumeMounts: [{name: data, mountPath: /data}]", null },
        { "volumes: [{name: sock, hostPath: {path: /run/containerd/containerd.sock}}]", "volumeMounts: [{name: sock, mountPath: /run/containerd.sock, readOnly: true}]", AttackTechniques.RuntimeSocket },
        { "volumes: [{name: sock, hostPath: {path: /var/run/docker.sock}}]", "volumeMounts: [{name: sock, mountPath: /var/run/docker.sock}]", AttackTechniques.RuntimeSocket },
        { "volumes: [{name: sock, hostPath: {path: /var/run/docker.sock}}]", "imagePullPolicy: Always", null },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void An_escape_edge_appears_exactly_for_its_primitive(string podSpec, string container, string? technique)
    {
        AttackGraph graph = Graph(Namespace("web") + Deployment("web", "agent", podSpec, container));
        List<AttackPath> paths = graph.Find("Deployment/web/agent", "node");
        if (technique is null)
        {
            Assert.Empty(paths);
            return;
        }

        AttackStep step = Assert.Single(Assert.Single(paths).Steps);
        Assert.Equal(technique, step.TechniqueId);
        Assert.Equal(AttackGraph.AnyNode, step.To);
    }

    private const string AdminAccount = """
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: deployer, namespace: ci}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: deployer-admin}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]

        """;

    private static string RunningPod(string ns, string name, string node, string account, string spec = "") => $"""
        ---
        apiVersion: v1
        kind: Pod
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec:
          nodeName: {node}
          serviceAccountName: {account}
          {(spec.Length == 0 ? "dnsPolicy: ClusterFirst" : spec)}
          containers: [{"{"}name: main, image: "busybox{Digest}"{"}"}]
        status: {"{"}phase: Running{"}"}

        """;

    [Fact]
    public void A_mounted_token_is_a_move_to_its_account_and_automount_false_removes_it()
    {
        string cluster = Namespace("ci") + AdminAccount;
        AttackPath path = Assert.Single(Graph(cluster + RunningPod("ci", "deploy", "node-1", "deployer")).Find("Pod/ci/deploy", "cluster-admin"));
        Assert.Equal(new[] { AttackTechniques.WorkloadToken, AttackTechniques.RbacEscalation }, path.Steps.Select(s => s.TechniqueId));
        Assert.Empty(Graph(cluster + RunningPod("ci", "deploy", "node-1", "deployer", "automountServiceAccountToken: false")).Find("Pod/ci/deploy", "cluster-admin"));
    }

    [Fact]
    public void Root_on_a_node_takes_the_tokens_of_the_pods_on_that_node_only()
    {
        string agent = RunningPod("ops", "agent", "node-1", "default", "automountServiceAccountToken: false\n  volumes: [{name: root, hostPath: {path: /}}]")
            .Replace("containers: [{name: main, image: \"busybox" + Digest + "\"}]", "containers: [{name: main, image: \"busybox" + Digest + "\", volumeMounts: [{name: root, mountPath: /host}]}]", StringComparison.Ordinal);
        string cluster = Namespace("ci") + Namespace("ops") + AdminAccount + agent;
        AttackPath path = Assert.Single(Graph(cluster + RunningPod("ci", "deploy", "node-1", "deployer")).Find("Pod/ops/agent", "cluster-admin"));
        Assert.Equal(new[] { AttackTechniques.HostPath, AttackTechniques.NodeTokens, AttackTechniques.RbacEscalation }, path.Steps.Select(s => s.TechniqueId));
        Assert.Equal("Node/node-1", path.Steps[0].To);
        Assert.Empty(Graph(cluster + RunningPod("ci", "deploy", "node-2", "deployer")).Find("Pod/ops/agent", "cluster-admin"));
        Assert.Single(AttackPathAnalyzer.Findings(Graph(cluster + RunningPod("ci", "deploy", "node-1", "deployer"))), f => f.RuleId == AttackPathRules.EscapeToClusterAdmin && f.Name == "agent");
    }

    [Fact]
    public void Rbac_moves_reach_cluster_admin_and_the_secrets_of_a_namespace()
    {
        const string readers = """
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: reader, namespace: web}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: read-secrets, namespace: payments}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: reader, namespace: payments}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-secrets}
            subjects: [{kind: ServiceAccount, name: reader, namespace: web}]

            """;
        string cluster = Namespace("web") + Namespace("payments") + readers + Deployment("web", "app", "serviceAccountName: reader") + Service("web", "app", "LoadBalancer");
        AttackGraph graph = Graph(cluster);
        AttackPath path = Assert.Single(graph.Find("external", "secrets:payments"));
        Assert.Equal(new[] { AttackTechniques.LoadBalancer, AttackTechniques.WorkloadToken, AttackTechniques.ReadSecrets }, path.Steps.Select(s => s.TechniqueId));
        Assert.Empty(graph.Find("external", "secrets:web"));
        Assert.Empty(graph.Find("external", "cluster-admin"));
        Assert.Throws<ArgumentException>(() => graph.Find("external", "everything"));
        Assert.Throws<ArgumentException>(() => graph.Find("web/nothing", "cluster-admin"));
    }

    [Fact]
    public void The_choke_point_that_cuts_every_path_ranks_first()
    {
        // Two exposed apps, both running as ci/deployer (cluster-admin through one binding): the binding
        // is on both paths, each app's exposure and token mount on one.
        string cluster = Namespace("ci") + AdminAccount
            + Deployment("ci", "portal", "serviceAccountName: deployer") + Service("ci", "portal", "LoadBalancer")
            + Deployment("ci", "webhook", "serviceAccountName: deployer") + Service("ci", "webhook", "NodePort");
        List<AttackPath> paths = Graph(cluster).Find("external", "cluster-admin");
        Assert.Equal(2, paths.Count);
        List<AttackChokePoint> cuts = AttackGraph.ChokePoints(paths);
        Assert.Equal("remove ServiceAccount:ci/deployer from ClusterRoleBinding/deployer-admin", cuts[0].Change);
        Assert.Equal(2, cuts[0].PathsCut);
        Assert.All(cuts.Skip(1), c => Assert.Equal(1, c.PathsCut));
        Assert.Contains(cuts, c => c.Change == "set automountServiceAccountToken: false on Deployment/ci/portal" && c.RepairRuleId == SecretRules.UnneededTokenMount);
    }

    [Fact]
    public void Hostile_ports_selectors_and_routes_are_ignored_not_thrown()
    {
        string hostile = HostileNumbers;
        AttackGraph graph = Graph(hostile);
        // No valid port is declared or routed: nothing to reach, but the escape of the pod itself is still seen.
        Assert.Empty(graph.Find("external", "node"));
        Assert.Equal(AttackTechniques.SysAdmin, Assert.Single(Assert.Single(graph.Find("Pod/web/odd", "node")).Steps).TechniqueId);
        Assert.DoesNotContain(AttackPathAnalyzer.Findings(graph), f => f.RuleId != AttackPathRules.EscapeToClusterAdmin);

        // And the whole audit reads it: numbers out of range are findings or nothing, never an exception.
        AuditResult audit = AuditRunner.Run(RbacFixtures.FromYaml(hostile), new AuditOptions());
        Assert.Contains(audit.Findings, f => f.RuleId == WorkloadRules.HostPorts && f.Message.Contains("4294967296", StringComparison.Ordinal));
    }

    internal const string HostileNumbers = """
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: web}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: odd, namespace: web, labels: {app: odd}}
            spec:
              containers:
              - name: main
                image: busybox
                ports: [{containerPort: 99999999999}, {containerPort: -1, hostPort: 0}, {containerPort: "http"}, {containerPort: 70000, hostPort: 4294967296}]
                securityContext: {capabilities: {add: [7, null, SYS_ADMIN]}}
              volumes: [{name: x, hostPath: {path: 42}}, {name: y, hostPath: "not an object"}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: odd, namespace: web}
            spec:
              type: LoadBalancer
              selector: {app: odd, other: 5}
              ports: [{port: 1e30, targetPort: 1e30}, {port: 80, targetPort: "999999"}, "not a port"]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: odd, namespace: web}
            spec:
              defaultBackend: {service: {name: odd, port: {number: 2147483648}}}
              rules: [{host: 5, http: {paths: [{backend: "nothing"}, {backend: {service: {name: odd, port: {name: 7}}}}]}}, "junk"]

            """;

    [Fact]
    public void The_graph_renders_as_dot_mermaid_and_json()
    {
        string cluster = Namespace("ci") + AdminAccount + Deployment("ci", "portal", "serviceAccountName: deployer") + Service("ci", "portal", "LoadBalancer");
        List<AttackPath> paths = Graph(cluster).Find("external", "cluster-admin");
        Assert.Contains("-> n1 [label=\"Reach a workload through a LoadBalancer Service\"]", AttackGraphText.Render(paths, "Dot"), StringComparison.Ordinal);
        Assert.StartsWith("flowchart LR", AttackGraphText.Render(paths, "Mermaid"), StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(AttackGraphText.Render(paths, "Json"));
        Assert.Equal(4, json.RootElement.GetProperty("nodes").GetArrayLength());
        using var bloodHound = System.Text.Json.JsonDocument.Parse(AttackGraphText.Render(paths, "BloodHound"));
        System.Text.Json.JsonElement graph = bloodHound.RootElement.GetProperty("graph");
        Assert.Equal("KubeSecurity", bloodHound.RootElement.GetProperty("metadata").GetProperty("source_kind").GetString());
        Assert.Contains(graph.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == "ServiceAccount:ci/deployer" && n.GetProperty("kinds")[0].GetString() == "KS_Identity");
        System.Text.Json.JsonElement first = graph.GetProperty("edges")[0];
        Assert.Equal("Internet", first.GetProperty("start").GetProperty("value").GetString());
        Assert.Equal("id", first.GetProperty("start").GetProperty("match_by").GetString());
        Assert.Equal("KS_ReachAWorkloadThroughALoadBalancerService", first.GetProperty("kind").GetString());
    }
}

public class DemoAttackPathTests
{
    private static readonly Lazy<KubeSnapshot> Demo = new(() => RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster));

    private static AttackGraph Graph(KubeSnapshot snapshot) => AttackGraph.Build(snapshot, RbacPolicy.Build(snapshot));

    [Fact]
    public void The_planted_path_runs_from_the_exposed_proxy_through_its_node_to_cluster_admin()
    {
        AttackPath path = Assert.Single(Graph(Demo.Value).Find("external", "cluster-admin"), p => p.Steps[0].To == "Deployment/shop/media-proxy");
        Assert.Equal(new[] { AttackTechniques.LoadBalancer, AttackTechniques.RuntimeSocket, AttackTechniques.NodeTokens, AttackTechniques.RbacEscalation }, path.Steps.Select(s => s.TechniqueId));
        Assert.Equal("Internet -> Deployment/shop/media-proxy -> Node/worker-1 -> ServiceAccount:ci/deployer -> cluster-admin", path.Chain);
        Assert.Empty(path.Caveats);
    }

    [Fact]
    public void The_near_miss_is_cut_by_the_default_deny_policy_and_opens_without_it()
    {
        KubeSnapshot demo = Demo.Value;
        Assert.DoesNotContain(Graph(demo).Find("external", "node"), p => p.Steps.Any(s => s.To == "Deployment/payments/statement-renderer"));

        var withoutPolicy = new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow,
            demo.Objects.Where(o => !(o.Kind == "NetworkPolicy" && o.Namespace == "payments" && o.Name == "default-deny")).ToList());
        AttackPath opened = Assert.Single(Graph(withoutPolicy).Find("external", "node"), p => p.Steps[0].To == "Deployment/payments/statement-renderer");
        Assert.Equal(new[] { AttackTechniques.NodePort, AttackTechniques.SysAdmin }, opened.Steps.Select(s => s.TechniqueId));
    }

    [Fact]
    public void The_audit_reports_each_class_of_path_on_the_workload_it_starts_from()
    {
        List<Finding> findings = AttackPathAnalyzer.Findings(Graph(Demo.Value));
        Assert.Contains(findings, f => f.RuleId == AttackPathRules.ExposedToClusterAdmin && f.Name == "media-proxy" && f.Evidence["Path"].EndsWith("cluster-admin", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.RuleId == AttackPathRules.ExposedToNodeRoot && f.Name == "media-proxy");
        Assert.Contains(findings, f => f.RuleId == AttackPathRules.EscapeToClusterAdmin && f.Name == "media-proxy");
        // The near miss is not reachable from the Internet; its escape still reaches other pods' tokens (its node is unknown).
        Assert.DoesNotContain(findings, f => f.Name == "statement-renderer" && f.RuleId != AttackPathRules.EscapeToClusterAdmin);
        // One finding per entry and class: no duplicates.
        Assert.Equal(findings.Count, findings.Select(f => (f.RuleId, f.Resource)).Distinct().Count());
    }
}
