namespace KubeSecurity.Model;

/// <summary>How a control of a compliance framework stands after an audit.</summary>
public enum ComplianceStatus
{
    /// <summary>Every rule that decides the control ran and found nothing.</summary>
    Passed,

    /// <summary>A rule that decides the control found at least one problem (Low or above).</summary>
    Failed,

    /// <summary>The input holds nothing the control applies to (for example no pods for a pod control).</summary>
    NotApplicable,

    /// <summary>The control cannot be decided from what the API shows (node files, a managed control plane, a judgement the benchmark leaves to people).</summary>
    NotCheckable,

    /// <summary>The control could be decided, but this audit did not run the rules that decide it (-Category, -ExcludeRule, -RestrictedPodSecurity, or another cmdlet's input).</summary>
    NotEvaluated,
}
