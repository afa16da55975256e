using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using KubeSecurity.Core.AuditLog;

namespace KubeSecurity.Core.Tests.Audit;

public class AuditEventTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static string Event(int second, string user, string verb, string? resource, string? ns = null, string? name = null, string? sub = null, int code = 200,
        string ip = "10.0.0.5", string? uri = null, string stage = "ResponseComplete", string? id = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["kind"] = "Event", ["apiVersion"] = "audit.k8s.io/v1", ["auditID"] = id ?? Guid.NewGuid().ToString(), ["stage"] = stage, ["verb"] = verb,
            ["requestURI"] = uri ?? $"/api/v1/namespaces/{ns}/{resource}/{name}", ["user"] = new { username = user, groups = new[] { "system:authenticated" } },
            ["sourceIPs"] = new[] { ip }, ["userAgent"] = "kubectl/v1.32",
            ["objectRef"] = resource is null ? null : new { resource, @namespace = ns, name, subresource = sub },
            ["responseStatus"] = new { code }, ["stageTimestamp"] = Start.AddSeconds(second).ToString("o"),
        });

    private static List<AuditEvent> Read(IEnumerable<string> lines, List<string>? problems = null) =>
        AuditLogReader.Read(new StringReader(string.Join("\n", lines)), "audit.log", problems ?? new List<string>()).ToList();

    [Fact]
    public void Each_rule_finds_its_pattern_and_ignores_the_normal_traffic()
    {
        var lines = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            lines.Add(Event(i, "system:serviceaccount:external-secrets:operator", "get", "secrets", "payments", "db")); // a normal reader
        }

        lines.Add(Event(40, "alice@example.com", "get", "secrets", "payments", "db"));
        lines.Add(Event(41, "bob@example.com", "create", "pods", "payments", "api-0", "exec"));
        lines.Add(Event(42, "system:anonymous", "list", "namespaces", uri: "/api/v1/namespaces"));
        lines.Add(Event(43, "system:anonymous", "get", null, uri: "/healthz"));
        for (int i = 0; i < 25; i++)
        {
            lines.Add(Event(100 + i, "system:serviceaccount:ci:stolen", "list", "secrets", "kube-system", code: 403, ip: "203.0.113.9"));
        }

        var options = new AuditEventReviewOptions { AllowedSources = new[] { IPNetwork.Parse("10.0.0.0/8") } };
        List<Finding> findings = AuditEventAnalyzer.Analyze(Read(lines), options);

        Assert.Equal("alice@example.com", Assert.Single(findings, f => f.RuleId == AuditLogRules.UnusualSecretRead).Evidence["User"]);
        Assert.Equal("api-0", Assert.Single(findings, f => f.RuleId == AuditLogRules.PodExec).Name);
        Assert.Contains("/api/v1/namespaces", Assert.Single(findings, f => f.RuleId == AuditLogRules.AnonymousSuccess).Message, StringComparison.Ordinal);
        Assert.Equal("system:serviceaccount:ci:stolen", Assert.Single(findings, f => f.RuleId == AuditLogRules.ForbiddenBurst).Name);
        Assert.Equal("203.0.113.9", Assert.Single(findings, f => f.RuleId == AuditLogRules.UnexpectedSource).Evidence["SourceIP"]);
    }

    [Fact]
    public void Logs_stream_from_gzip_count_each_request_once_and_report_broken_lines()
    {
        string path = Path.Combine(TestPaths.TempDirectory(), "audit.log.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            writer.WriteLine(Event(1, "alice", "get", "pods", "a", "p", stage: "RequestReceived", id: "one"));
            writer.WriteLine(Event(2, "alice", "get", "pods", "a", "p", stage: "ResponseComplete", id: "one"));
            writer.WriteLine("{ broken");
            writer.WriteLine("{\"kind\":\"Event\"}");
        }

        var problems = new List<string>();
        using TextReader reader = AuditLogReader.Open(path);
        List<AuditEvent> events = AuditLogReader.Read(reader, path, problems).ToList();
        Assert.Equal(2, events.Count);
        Assert.Single(AuditLogReader.OnePerRequest(events));
        Assert.Equal(2, problems.Count);
        Assert.Contains("line 3", problems[0], StringComparison.Ordinal);
    }
}
