using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>The RBAC review the audit and Test-KubeRbac share: risky grants and roles, then the workloads whose identity reaches cluster-admin.</summary>
public static class RbacReview
{
    public static List<Finding> Run(KubeSnapshot snapshot, RbacPolicy policy, RbacReviewOptions? options = null,
        Diagnostics.IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        List<Finding> findings = RbacRiskAnalyzer.Analyze(policy, options);
        findings.AddRange(WorkloadIdentityAnalyzer.Findings(WorkloadIdentityAnalyzer.Describe(snapshot, policy,
            () => RbacEscalationGraph.Build(policy, EscalationTarget.Parse(null, null), reporter, cancellationToken), cancellationToken)));
        return findings;
    }
}
