using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Rbac;

/// <summary>
/// A dangerous role is a finding before anyone is bound to it (at a lower severity, saying what it
/// would grant), and full control is reported as every capability it includes.
/// </summary>
public class RoleDefinitionRiskTests
{
    [Fact]
    public void An_unbound_role_that_grants_exec_and_secrets_is_reported_as_what_it_would_grant()
    {
        List<Finding> findings = RbacRiskAnalyzer.Analyze(RbacFixtures.Policy(
            RbacFixtures.ClusterRole("debugger", "[{apiGroups: [''], resources: [pods/exec], verbs: [create]}, {apiGroups: [''], resources: [secrets], verbs: [get]}]")
            + RbacFixtures.Role("shop", "reader", "[{apiGroups: [''], resources: [secrets], verbs: [list]}]")));

        Finding exec = Assert.Single(findings, f => f.RuleId == RbacRules.PodExec);
        Assert.Equal(("ClusterRole", "debugger", Severity.Medium), (exec.Kind, exec.Name, exec.Severity));
        Assert.Contains("bound to nobody yet, but would let", exec.Message, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.RuleId == RbacRules.SecretRead && f.Name == "debugger" && f.Severity == Severity.Medium);
        Assert.Contains(findings, f => f.RuleId == RbacRules.SecretRead && f.Name == "reader" && f.Severity == Severity.Low);
        Assert.Contains(findings, f => f.RuleId == RbacRules.UnusedRole && f.Name == "debugger");
    }

    [Fact]
    public void A_bound_role_is_reported_through_its_binding_only()
    {
        List<Finding> findings = RbacRiskAnalyzer.Analyze(RbacFixtures.Policy(
            RbacFixtures.ClusterRole("debugger", "[{apiGroups: [''], resources: [pods/exec], verbs: [create]}]") + """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: debuggers}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: debugger}
            subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: sre}]
            """ + "\n"));

        Finding exec = Assert.Single(findings, f => f.RuleId == RbacRules.PodExec);
        Assert.Equal("ClusterRoleBinding", exec.Kind);
    }

    [Fact]
    public void Full_control_is_also_every_capability_it_includes()
    {
        List<Finding> findings = RbacRiskAnalyzer.Analyze(RbacFixtures.Policy(
            RbacFixtures.ClusterRole("god", "[{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]") + """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: god}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: god}
            subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: mallory}]
            """ + "\n"));

        foreach (string rule in new[] { RbacRules.ClusterAdminBound, RbacRules.SecretRead, RbacRules.PodExec, RbacRules.EscalateOrBind, RbacRules.Impersonate, RbacRules.NodeProxy })
        {
            Assert.Contains(findings, f => f.RuleId == rule && f.Name == "god");
        }
    }
}
