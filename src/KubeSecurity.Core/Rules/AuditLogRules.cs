using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>Rules of audit-log review: what happened on the cluster, as the API server recorded it.</summary>
public static class AuditLogRules
{
    public const string Category = "AuditLog";
    public const string UnusualSecretRead = "KSEC-AUD-001";
    public const string PodExec = "KSEC-AUD-002";
    public const string AnonymousSuccess = "KSEC-AUD-003";
    public const string ForbiddenBurst = "KSEC-AUD-004";
    public const string UnexpectedSource = "KSEC-AUD-005";

    private const string Docs = "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/";

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        new SecurityRule(UnusualSecretRead, "Secrets read by a principal that rarely reads them", Severity.Medium, Category,
            "A principal that reads secrets only a few times in the log read one: service accounts and controllers read secrets all the time, a person or a new token doing it is worth a look (MITRE ATT&CK T1552.007).",
            "Confirm the read was expected; if not, rotate the secret and review the principal's grants.", new[] { Docs, "MITRE ATT&CK T1552.007" }),
        new SecurityRule(PodExec, "Exec or attach into a pod", Severity.Medium, Category,
            "Someone ran commands in (or attached to) a running pod. It is the usual way in for an attacker with API access and bypasses the image's contents (MITRE ATT&CK T1609).",
            "Confirm who and why; restrict pods/exec to break-glass roles.", new[] { Docs, "MITRE ATT&CK T1609" }),
        new SecurityRule(AnonymousSuccess, "Anonymous request that succeeded", Severity.High, Category,
            "An unauthenticated request (system:anonymous) was allowed for something other than the public health and version endpoints.",
            "Remove RBAC grants to system:anonymous and system:unauthenticated, or disable anonymous authentication.", new[] { Docs, "CIS Kubernetes Benchmark 1.2.1" }),
        new SecurityRule(ForbiddenBurst, "Burst of forbidden requests from one principal", Severity.Medium, Category,
            "One principal received many 403 Forbidden answers in a short time: permission discovery by a stolen credential looks like this (MITRE ATT&CK T1613).",
            "Find out what uses the credential; revoke it if unexpected.", new[] { Docs, "MITRE ATT&CK T1613" }),
        new SecurityRule(UnexpectedSource, "Access from an unexpected source address", Severity.Medium, Category,
            "A request came from an address outside the allowed ranges (-AllowedSourceCidr).",
            "Check where the credential is used from; restrict API server access by network.", new[] { Docs, "MITRE ATT&CK T1078" }),
    };
}
