using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>
/// Every rule the analyses can report, by stable id. Areas register their rules here so
/// <c>Get-KubeSecurityRule</c>, reports and suppressions all see one catalog.
/// </summary>
public static class RuleCatalog
{
    private static readonly Dictionary<string, SecurityRule> ById = new(StringComparer.OrdinalIgnoreCase);

    static RuleCatalog()
    {
        foreach (SecurityRule rule in CoverageRules.All.Concat(CertificateRules.All).Concat(CsrRules.All).Concat(RotationRules.All).Concat(RbacRules.All).Concat(NetworkRules.All).Concat(SecretRules.All).Concat(EncryptionRules.All).Concat(WorkloadRules.All).Concat(AuditLogRules.All).Concat(ControlPlaneRules.All).Concat(KubeletRules.All).Concat(AttackPathRules.All))
        {
            Register(SeverityRanges.Apply(rule));
        }
    }

    public static IReadOnlyCollection<SecurityRule> All => ById.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> Categories => ById.Values.Select(r => r.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static SecurityRule Get(string id) =>
        ById.TryGetValue(id, out SecurityRule? rule) ? rule : throw new KeyNotFoundException($"No rule has the id '{id}'.");

    public static bool TryGet(string id, out SecurityRule rule) => ById.TryGetValue(id, out rule!);

    /// <summary>A finding of a rule, with the rule's title, severity, category, remediation and references.</summary>
    public static Finding CreateFinding(string ruleId, ResourceRef resource, string message,
        IReadOnlyDictionary<string, string>? evidence = null, Severity? severity = null)
    {
        FindingRule rule = Resolve(ruleId, severity, out Severity graded);
        return new Finding(rule, graded, resource, message, evidence);
    }

    /// <summary>
    /// A finding whose message is composed when first read: for the analyses that report tens of
    /// thousands of findings, whose messages most pipelines never read. The composer must read only
    /// values that do not change (it may run much later, on another thread, or not at all).
    /// </summary>
    public static Finding CreateFinding(string ruleId, ResourceRef resource, Func<string> composeMessage,
        IReadOnlyDictionary<string, string>? evidence = null, Severity? severity = null)
    {
        FindingRule rule = Resolve(ruleId, severity, out Severity graded);
        return new Finding(rule, graded, resource, composeMessage, evidence);
    }

    /// <summary>A finding whose message is composed when first read from parts the message object holds (no delegate per finding).</summary>
    internal static Finding CreateFinding(string ruleId, ResourceRef resource, ComposedMessage message,
        IReadOnlyDictionary<string, string>? evidence = null, Severity? severity = null)
    {
        FindingRule rule = Resolve(ruleId, severity, out Severity graded);
        return new Finding(rule, graded, resource, message, evidence);
    }

    // The rule's shared texts and the finding's severity (the rule's unless graded), checked against the catalog.
    private static FindingRule Resolve(string ruleId, Severity? severity, out Severity graded)
    {
        SecurityRule rule = Get(ruleId);
        graded = severity ?? rule.Severity;
        CheckSeverityRange(rule, graded);
        return rule.ForFindings;
    }

    // One fact, one place: the catalog states what severities a rule's findings carry (SeverityRanges).
    // Development and test builds refuse a finding outside that range, so every test that runs an
    // analysis checks the catalog against what is emitted; a release build never fails an audit for it.
    [System.Diagnostics.Conditional("DEBUG")]
    private static void CheckSeverityRange(SecurityRule rule, Severity severity)
    {
        if (severity < rule.MinimumSeverity || severity > rule.MaximumSeverity)
        {
            throw new InvalidOperationException($"{rule.Id} emitted a {severity} finding, outside the catalog's range {rule.MinimumSeverity}-{rule.MaximumSeverity}; state it in SeverityRanges.");
        }
    }

    private static void Register(SecurityRule rule)
    {
        if (!ById.TryAdd(rule.Id, rule))
        {
            throw new InvalidOperationException($"Rule id {rule.Id} is registered twice.");
        }
    }
}
