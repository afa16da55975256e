using System.Management.Automation;
using KubeSecurity.Model;

namespace KubeSecurity.Module.Tests;

/// <summary>Invoke-KubeSecurityAudit and Export-KubeSecurityReport through the staged module.</summary>
public class AuditCmdletTests
{
    [Fact]
    public void The_audit_streams_findings_then_a_summary_and_reports_round_trip_as_a_baseline()
    {
        string dir = ModuleSession.TempDirectory();
        string report = Path.Combine(dir, "audit.json");
        using var session = new ModuleSession();
        PSObject[] output = session.Run("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20'", ModuleSession.DemoCluster).ToArray();
        Assert.IsType<AuditSummary>(output[^1].BaseObject);
        Assert.All(output[..^1], o => Assert.IsType<Finding>(o.BaseObject));
        Assert.Equal(5, ((AuditSummary)output[^1].BaseObject).Areas.Count);

        session.Run("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' | Export-KubeSecurityReport -Format Json -Path $args[1]", ModuleSession.DemoCluster, report);
        Assert.True(File.Exists(report));
        Assert.Contains("\"schemaVersion\": 1", File.ReadAllText(report), StringComparison.Ordinal);

        // With the baseline nothing is new, so -FailOn passes; without it, it fails.
        session.Run("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' -Baseline $args[1] -FailOn High | Out-Null", ModuleSession.DemoCluster, report);
        Assert.Empty(session.Errors);
        ErrorRecord failed = session.RunExpectingTerminatingError("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' -FailOn Critical | Out-Null", ModuleSession.DemoCluster);
        Assert.Equal("AuditFailed,KubeSecurity.Commands.InvokeKubeSecurityAuditCommand", failed.FullyQualifiedErrorId);

        string junit = (string)session.Run("Invoke-KubeSecurityAudit -Path $args[0] -Category RBAC | Export-KubeSecurityReport -Format JUnit -AsText", ModuleSession.DemoCluster).Single().BaseObject;
        Assert.Contains("<testsuite name=\"RBAC\"", junit, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(dir, "bad.yaml"), "- {ruleId: KSEC-NET-001}\n");
        ErrorRecord bad = session.RunExpectingTerminatingError("Invoke-KubeSecurityAudit -Path $args[0] -SuppressionPath $args[1]", ModuleSession.DemoCluster, Path.Combine(dir, "bad.yaml"));
        Assert.Equal("SuppressionFileInvalid,KubeSecurity.Commands.InvokeKubeSecurityAuditCommand", bad.FullyQualifiedErrorId);
    }
}

/// <summary>Drift and metrics through the staged module.</summary>
public class AuditDriftCmdletTests
{
    [Fact]
    public void Drift_between_reports_and_prometheus_metrics()
    {
        string dir = ModuleSession.TempDirectory();
        string before = Path.Combine(dir, "before.json");
        using var session = new ModuleSession();
        session.Run("Invoke-KubeSecurityAudit -Path $args[0] -Category RBAC -AsOf '2026-12-20' | Where-Object { $_ -isnot [KubeSecurity.Model.Finding] -or $_.Name -ne 'old-auditor' } | Export-KubeSecurityReport -Format Json -Path $args[1]", ModuleSession.DemoCluster, before);
        AuditChange[] changes = session.Run("Compare-KubeSecurityAudit -Reference $args[0] -Difference (Invoke-KubeSecurityAudit -Path $args[1] -Category RBAC -AsOf '2026-12-20')", before, ModuleSession.DemoCluster)
            .Select(o => o.BaseObject).OfType<AuditChange>().ToArray();
        Assert.Empty(session.Errors);
        Assert.Equal("old-auditor", Assert.Single(changes).Name);
        Assert.Equal("New", changes[0].Change);

        string metrics = (string)session.Run("@(Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20') + @(Get-KubeCertificate -Path $args[0]) | Export-KubeSecurityReport -Format Prometheus -Cluster demo -AsText", ModuleSession.DemoCluster).Single().BaseObject;
        Assert.Contains("kubesecurity_findings{cluster=\"demo\",severity=\"Critical\",category=\"RBAC\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("kubesecurity_certificate_expiry_timestamp_seconds{cluster=\"demo\"", metrics, StringComparison.Ordinal);
        Assert.Empty(session.Errors);
    }
}

/// <summary>Audit-log cmdlets through the staged module.</summary>
public class AuditLogCmdletTests
{
    [Fact]
    public void Audit_events_are_objects_to_filter_and_findings_to_review()
    {
        string log = Path.Combine(ModuleSession.TempDirectory(), "audit.log");
        File.WriteAllLines(log, new[]
        {
            """{"kind":"Event","auditID":"1","stage":"ResponseComplete","verb":"create","user":{"username":"bob"},"sourceIPs":["10.0.0.9"],"objectRef":{"resource":"pods","subresource":"exec","namespace":"shop","name":"cart-0"},"responseStatus":{"code":101},"stageTimestamp":"2026-12-01T08:00:00Z"}""",
            """{"kind":"Event","auditID":"2","stage":"ResponseComplete","verb":"get","user":{"username":"alice"},"sourceIPs":["198.51.100.7"],"objectRef":{"resource":"secrets","namespace":"shop","name":"db"},"responseStatus":{"code":200},"stageTimestamp":"2026-12-01T08:01:00Z"}""",
            "not json",
        });
        using var session = new ModuleSession();
        AuditEvent[] secretReads = session.Run("Get-KubeAuditEvent -Path $args[0] -Resource secrets", log).Select(o => o.BaseObject).OfType<AuditEvent>().ToArray();
        Assert.Equal("alice", Assert.Single(secretReads).EffectiveUser);
        Assert.Equal("AuditLogLineInvalid,KubeSecurity.Commands.GetKubeAuditEventCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
        session.Streams.Error.Clear();

        Finding[] findings = session.Run("Test-KubeAuditEvent -Path $args[0] -AllowedSourceCidr 10.0.0.0/8 -ErrorAction SilentlyContinue", log).Select(o => o.BaseObject).OfType<Finding>().ToArray();
        Assert.Contains(findings, f => f.RuleId == "KSEC-AUD-002" && f.Name == "cart-0");
        Assert.Contains(findings, f => f.RuleId == "KSEC-AUD-001");
        Assert.Contains(findings, f => f.RuleId == "KSEC-AUD-005" && f.Name == "alice");
    }
}

/// <summary>The HTML format through the staged module.</summary>
public class HtmlReportCmdletTests
{
    [Fact]
    public void Export_KubeSecurityReport_writes_a_self_contained_html_file()
    {
        string file = Path.Combine(ModuleSession.TempDirectory(), "report.html");
        using var session = new ModuleSession();
        FileInfo written = (FileInfo)session.Run("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' | Export-KubeSecurityReport -Format Html -Path $args[1]", ModuleSession.DemoCluster, file).Single().BaseObject;
        Assert.Empty(session.Errors);
        string html = File.ReadAllText(written.FullName);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("ci-deployer-cluster-admin", html, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", html, StringComparison.Ordinal);

        session.Run("Invoke-KubeSecurityAudit -Path $args[0] | Export-KubeSecurityReport -Format Html -Path $args[1] -NoClobber", ModuleSession.DemoCluster, file);
        Assert.Equal("FileExists,KubeSecurity.Commands.ExportKubeSecurityReportCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
    }
}
