using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Rbac;

/// <summary>What running code in a workload yields: its account's power, whether the token is there, the chain to cluster-admin, and where it runs.</summary>
public class WorkloadIdentityTests
{
    private const string Cluster = """
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: ops, namespace: tools}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: ci, namespace: build}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: quiet, namespace: tools}
        automountServiceAccountToken: false
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: ops-admin}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
        subjects: [{kind: ServiceAccount, name: ops, namespace: tools}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: ci-edit, namespace: tools}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
        subjects: [{kind: ServiceAccount, name: ci, namespace: build}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: dashboard, namespace: tools}
        spec:
          selector: {matchLabels: {app: dashboard}}
          template:
            metadata: {labels: {app: dashboard}}
            spec: {serviceAccountName: ops, containers: [{name: c, image: i}]}
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: dashboard-5d8
          namespace: tools
          ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: dashboard, controller: true, uid: a}]
        spec:
          selector: {matchLabels: {app: dashboard}}
          template:
            metadata: {labels: {app: dashboard}}
            spec: {serviceAccountName: ops, containers: [{name: c, image: i}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: dashboard-5d8-x1
          namespace: tools
          ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: dashboard-5d8, controller: true, uid: b}]
        spec: {serviceAccountName: ops, nodeName: node-2, containers: [{name: c, image: i}]}
        status: {phase: Running}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: build, namespace: build}
        spec:
          template:
            spec: {serviceAccountName: ci, restartPolicy: Never, containers: [{name: c, image: i}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: report, namespace: tools}
        spec:
          selector: {matchLabels: {app: report}}
          template:
            metadata: {labels: {app: report}}
            spec: {serviceAccountName: quiet, containers: [{name: c, image: i}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: muted-admin, namespace: tools}
        spec:
          selector: {matchLabels: {app: muted}}
          template:
            metadata: {labels: {app: muted}}
            spec:
              serviceAccountName: ops
              automountServiceAccountToken: false
              containers: [{name: c, image: i}]
        """;

    private static (List<WorkloadIdentity> Identities, List<Finding> Findings) Run()
    {
        var snapshot = RbacFixtures.FromYaml(Cluster + "\n");
        RbacPolicy policy = RbacPolicy.Build(snapshot);
        var graph = RbacEscalationGraph.Build(policy, EscalationTarget.Parse(null, null));
        List<WorkloadIdentity> identities = WorkloadIdentityAnalyzer.Describe(snapshot, policy, graph);
        return (identities, RbacReview.Run(snapshot, policy));
    }

    [Fact]
    public void A_cluster_admin_account_with_its_token_mounted_is_critical_and_names_its_pods_and_nodes()
    {
        (List<WorkloadIdentity> identities, List<Finding> findings) = Run();

        WorkloadIdentity dashboard = Assert.Single(identities, i => i.Name == "dashboard");
        Assert.Equal(IdentityRisk.Critical, dashboard.Risk);
        Assert.True(dashboard.TokenMounted);
        Assert.Equal(new[] { "tools/dashboard-5d8-x1" }, dashboard.Pods);
        Assert.Equal(new[] { "node-2" }, dashboard.Nodes);
        Assert.Contains("ClusterRole/cluster-admin", dashboard.AssumedDefault, StringComparison.Ordinal);

        Finding finding = Assert.Single(findings, f => f.RuleId == RbacRules.WorkloadIdentityAdmin && f.Name == "dashboard");
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains("node-2", finding.Message, StringComparison.Ordinal);
        Assert.Contains("default (bootstrap) RBAC policy", finding.Evidence["AssumedRole"], StringComparison.Ordinal);
        // The ReplicaSet and the pod belong to the Deployment: one identity, one finding.
        Assert.DoesNotContain(identities, i => i.Kind is "ReplicaSet" or "Pod");
    }

    [Fact]
    public void An_account_that_can_run_pods_where_an_admin_account_lives_becomes_cluster_admin_through_a_chain()
    {
        (List<WorkloadIdentity> identities, List<Finding> findings) = Run();

        WorkloadIdentity build = Assert.Single(identities, i => i.Name == "build");
        Assert.Equal(IdentityRisk.Critical, build.PermissionRisk);
        Assert.Contains("ServiceAccount:tools/ops", build.EscalationChain, StringComparison.Ordinal);
        Assert.Contains(build.Capabilities, c => c.StartsWith("read secrets in tools", StringComparison.Ordinal));
        Finding finding = Assert.Single(findings, f => f.RuleId == RbacRules.WorkloadIdentityAdmin && f.Name == "build");
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Fact]
    public void Without_the_token_the_account_s_power_is_reported_but_the_workload_s_risk_is_none()
    {
        (List<WorkloadIdentity> identities, List<Finding> findings) = Run();

        WorkloadIdentity muted = Assert.Single(identities, i => i.Name == "muted-admin");
        Assert.False(muted.TokenMounted);
        Assert.Equal(IdentityRisk.Critical, muted.PermissionRisk);
        Assert.Equal(IdentityRisk.None, muted.Risk);
        Assert.Contains("pod spec", muted.TokenMount, StringComparison.Ordinal);

        WorkloadIdentity report = Assert.Single(identities, i => i.Name == "report");
        Assert.False(report.TokenMounted);
        Assert.Contains("service account", report.TokenMount, StringComparison.Ordinal);
        Assert.Equal(IdentityRisk.None, report.PermissionRisk);
        Assert.DoesNotContain(findings, f => f.RuleId == RbacRules.WorkloadIdentityAdmin && f.Name is "muted-admin" or "report");
    }
}
