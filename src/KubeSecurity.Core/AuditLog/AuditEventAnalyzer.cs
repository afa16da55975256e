using System.Globalization;
using System.Net;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.AuditLog;

/// <summary>Options of audit-log review.</summary>
public sealed record AuditEventReviewOptions
{
    /// <summary>A principal with fewer secret reads than this in the log is "one that rarely reads them".</summary>
    public int NormalSecretReads { get; init; } = 10;

    /// <summary>This many 403s from one principal within <see cref="BurstWindow"/> is a burst.</summary>
    public int ForbiddenBurst { get; init; } = 20;
    public TimeSpan BurstWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Allowed source ranges; empty means no source check.</summary>
    public IReadOnlyList<IPNetwork> AllowedSources { get; init; } = Array.Empty<IPNetwork>();
}

/// <summary>Findings from audit events: unusual secret reads, exec/attach, successful anonymous requests, 403 bursts, unexpected sources.</summary>
public static class AuditEventAnalyzer
{
    private static readonly string[] PublicPaths = { "/healthz", "/livez", "/readyz", "/version" };

    public static List<Finding> Analyze(IEnumerable<AuditEvent> events, AuditEventReviewOptions? options = null)
    {
        options ??= new AuditEventReviewOptions();
        List<AuditEvent> requests = AuditLogReader.OnePerRequest(events).ToList();
        var findings = new List<Finding>();

        var secretReads = requests.Where(e => e.Resource == "secrets" && e.Verb is "get" or "list" or "watch" && e.Succeeded && e.EffectiveUser is not null).ToList();
        foreach (IGrouping<string, AuditEvent> reader in secretReads.GroupBy(e => e.EffectiveUser!).Where(g => g.Count() < options.NormalSecretReads))
        {
            foreach (AuditEvent e in reader)
            {
                findings.Add(RuleCatalog.CreateFinding(AuditLogRules.UnusualSecretRead, new ResourceRef("Secret", e.Namespace, e.Name ?? "(list)"),
                    $"{e.EffectiveUser} ({reader.Count()} secret read(s) in the log) did {e.Verb} on secret {e.Namespace}/{e.Name ?? "*"} at {e.Timestamp:u}.", Evidence(e)));
            }
        }

        foreach (AuditEvent e in requests.Where(e => e.Resource == "pods" && e.Subresource is "exec" or "attach" && e.Succeeded))
        {
            findings.Add(RuleCatalog.CreateFinding(AuditLogRules.PodExec, new ResourceRef("Pod", e.Namespace, e.Name ?? "?"),
                $"{e.EffectiveUser} ran {e.Subresource} into pod {e.Namespace}/{e.Name} at {e.Timestamp:u}.", Evidence(e)));
        }

        foreach (AuditEvent e in requests.Where(e => e.User == "system:anonymous" && e.Succeeded && !(e.Resource is null && PublicPaths.Any(p => (e.RequestUri ?? string.Empty).StartsWith(p, StringComparison.Ordinal)))))
        {
            findings.Add(RuleCatalog.CreateFinding(AuditLogRules.AnonymousSuccess, new ResourceRef("User", null, "system:anonymous"),
                $"An anonymous {e.Verb} of {e.RequestUri} succeeded ({e.ResponseCode}) at {e.Timestamp:u}.", Evidence(e)));
        }

        foreach (IGrouping<string, AuditEvent> principal in requests.Where(e => e.ResponseCode == 403 && e.EffectiveUser is not null && e.Timestamp is not null).GroupBy(e => e.EffectiveUser!))
        {
            List<AuditEvent> ordered = principal.OrderBy(e => e.Timestamp).ToList();
            for (int start = 0, end = 0; end < ordered.Count; end++)
            {
                while (ordered[end].Timestamp - ordered[start].Timestamp > options.BurstWindow)
                {
                    start++;
                }

                if (end - start + 1 >= options.ForbiddenBurst)
                {
                    findings.Add(RuleCatalog.CreateFinding(AuditLogRules.ForbiddenBurst, new ResourceRef("User", null, principal.Key),
                        $"{principal.Key} received {end - start + 1} forbidden answers between {ordered[start].Timestamp:u} and {ordered[end].Timestamp:u}.",
                        new Dictionary<string, string> { ["Count"] = (end - start + 1).ToString(CultureInfo.InvariantCulture), ["From"] = $"{ordered[start].Timestamp:o}", ["SourceIPs"] = string.Join(",", principal.SelectMany(e => e.SourceIps).Distinct()) }));
                    break; // one finding per principal
                }
            }
        }

        if (options.AllowedSources.Count > 0)
        {
            foreach (IGrouping<(string?, string), AuditEvent> outside in requests
                .SelectMany(e => e.SourceIps.Select(ip => (Event: e, Ip: ip)))
                .Where(x => IPAddress.TryParse(x.Ip, out IPAddress? address) && !options.AllowedSources.Any(n => n.Contains(address)))
                .GroupBy(x => (x.Event.EffectiveUser, x.Ip), x => x.Event))
            {
                AuditEvent first = outside.First();
                findings.Add(RuleCatalog.CreateFinding(AuditLogRules.UnexpectedSource, new ResourceRef("User", null, outside.Key.Item1 ?? "?"),
                    $"{outside.Key.Item1} made {outside.Count()} request(s) from {outside.Key.Item2}, outside the allowed ranges (first at {first.Timestamp:u}).",
                    new Dictionary<string, string> { ["SourceIP"] = outside.Key.Item2, ["Requests"] = outside.Count().ToString(CultureInfo.InvariantCulture) }));
            }
        }

        return findings;
    }

    private static Dictionary<string, string> Evidence(AuditEvent e) => new()
    {
        ["AuditID"] = e.AuditId ?? string.Empty,
        ["Time"] = e.Timestamp?.ToString("o", CultureInfo.InvariantCulture) ?? string.Empty,
        ["User"] = e.EffectiveUser ?? string.Empty,
        ["SourceIPs"] = string.Join(",", e.SourceIps),
        ["UserAgent"] = e.UserAgent ?? string.Empty,
    };
}
