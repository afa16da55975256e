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
        Assert.Equal(8, ((AuditSummary)output[^1].BaseObject).Areas.Count);

        session.Run("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' | Export-KubeSecurityReport -Format Json -Path $args[1]", ModuleSession.DemoCluster, report);
        Assert.True(File.Exists(report));
        Assert.Contains("\"schemaVersion\": 1", File.ReadAllText(report), StringComparison.Ordinal);

        // With the baseline nothing is new, so -FailOn passes; without it, it fails.
        session.Run("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' -Baseline $args[1] -FailOn High | Out-Null", ModuleSession.DemoCluster, report);
        Assert.Empty(session.Errors);
        // The gate is a non-terminating error after every finding and the summary.
        PSObject[] gated = session.Run("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' -FailOn Critical", ModuleSession.DemoCluster).ToArray();
        ErrorRecord failed = Assert.Single(session.Errors);
        Assert.Equal("AuditFailed,KubeSecurity.Commands.InvokeKubeSecurityAuditCommand", failed.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, failed.CategoryInfo.Category);
        AuditSummary gatedSummary = Assert.IsType<AuditSummary>(gated[^1].BaseObject);
        Assert.Equal(output.Length, gated.Length);
        Assert.True(gatedSummary.GateFailed);
        Assert.Equal(gatedSummary.BySeverity["Critical"], gatedSummary.FailingCount);

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
    public void A_large_audit_reaches_the_next_command_whole_and_in_order()
    {
        // Enough findings for several output chunks and a partial last one.
        string file = Path.Combine(ModuleSession.TempDirectory(), "many-pods.json");
        var items = Enumerable.Range(0, 1500).Select(i => $$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-{{{i:D4}}}","namespace":"ns-{{{i % 7}}}"},
             "spec":{"containers":[{"name":"c","image":"registry.example/app:1","securityContext":{"privileged":true,"runAsUser":0}}],"hostNetwork":true}}
            """);
        File.WriteAllText(file, $$$"""{"apiVersion":"v1","kind":"List","items":[{{{string.Join(",", items)}}}]}""");

        using var session = new ModuleSession();
        PSObject[] output = session.Run("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' 3>$null | ForEach-Object { $_ }", file).ToArray();
        Assert.Empty(session.Errors);
        var summary = Assert.IsType<AuditSummary>(output[^1].BaseObject);
        Finding[] findings = output[..^1].Select(o => Assert.IsType<Finding>(o.BaseObject)).ToArray();
        Assert.True(findings.Length > 3 * 4096, $"only {findings.Length} findings");
        Assert.Equal(summary.Total, findings.Length);
        Assert.Equal(findings.Length, findings.Select(f => (f.RuleId, f.Resource, f.Message)).Distinct().Count());
        // Sorted as the audit sorts: severity first, then category and rule.
        for (int i = 1; i < findings.Length; i++)
        {
            (Finding before, Finding after) = (findings[i - 1], findings[i]);
            Assert.True(before.Severity > after.Severity || (before.Severity == after.Severity
                && (string.CompareOrdinal(before.Category, after.Category) < 0 || (before.Category == after.Category && string.CompareOrdinal(before.RuleId, after.RuleId) <= 0))),
                $"finding {i} ({after.RuleId} {after.Resource}) is out of order after {before.RuleId} {before.Resource}");
        }

        Assert.Equal(findings.Length, session.Run("@(Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' 3>$null | Where-Object { $_ -is [KubeSecurity.Model.Finding] }).Count", file).Single().BaseObject);
    }

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
    [Fact]
    public void A_folder_of_rotated_logs_is_read_whole_and_a_corrupt_or_junk_file_in_it_is_an_error_that_stops_nothing()
    {
        string folder = Path.Combine(ModuleSession.TempDirectory(), "audit");
        Directory.CreateDirectory(folder);
        static string Event(int id, string user) =>
            $$"""{"kind":"Event","auditID":"{{id}}","stage":"ResponseComplete","verb":"get","user":{"username":"{{user}}"},"sourceIPs":["10.0.0.9"],"objectRef":{"resource":"secrets","namespace":"shop","name":"db"},"responseStatus":{"code":200},"stageTimestamp":"2026-12-01T08:00:00Z"}""";
        File.WriteAllLines(Path.Combine(folder, "audit.log"), new[] { Event(1, "alice"), Event(2, "alice") });
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(Path.Combine(folder, "audit-2026-11-30.log.gz")), System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(Event(3, "bob") + "\n"));
        }

        byte[] whole;
        using (var buffer = new MemoryStream())
        {
            using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(10, 2000).Select(i => Event(i, "carol")))));
            }

            whole = buffer.ToArray();
        }

        File.WriteAllBytes(Path.Combine(folder, "audit-truncated.log.gz"), whole[..(whole.Length / 2)]);
        File.WriteAllLines(Path.Combine(folder, "junk.txt"), Enumerable.Range(0, 50).Select(i => $"junk line {i}"));

        using var session = new ModuleSession();
        AuditEvent[] events = session.Run("Get-KubeAuditEvent -Path $args[0]", folder).Select(o => o.BaseObject).OfType<AuditEvent>().ToArray();

        Assert.Equal(2, events.Count(e => e.EffectiveUser == "alice"));
        Assert.Single(events, e => e.EffectiveUser == "bob");
        // A gzip file cut in half: what it holds is read, and the cut line is an error naming the file.
        Assert.InRange(events.Count(e => e.EffectiveUser == "carol"), 500, 1999);
        Assert.Contains(session.Errors, e => e.Exception.Message.Contains("audit-truncated.log.gz", StringComparison.Ordinal));
        List<ErrorRecord> junk = session.Errors.Where(e => e.TargetObject is string target && target.EndsWith("junk.txt", StringComparison.Ordinal)).ToList();
        Assert.Equal(21, junk.Count);
        Assert.Contains("30 more line(s)", junk[^1].Exception.Message, StringComparison.Ordinal);
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
        FileInfo written = (FileInfo)session.Run("Invoke-KubeSecurityAudit -Path $args[0] -AsOf '2026-12-20' | Export-KubeSecurityReport -Format Html -Path $args[1] -PassThru", ModuleSession.DemoCluster, file).Single().BaseObject;
        Assert.Empty(session.Errors);
        string html = File.ReadAllText(written.FullName);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("ci-deployer-cluster-admin", html, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIA2E5QJ7WBHXK4R6TN", html, StringComparison.Ordinal);

        session.Run("Invoke-KubeSecurityAudit -Path $args[0] | Export-KubeSecurityReport -Format Html -Path $args[1] -NoClobber", ModuleSession.DemoCluster, file);
        Assert.Equal("FileExists,KubeSecurity.Commands.ExportKubeSecurityReportCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
    }
}

/// <summary>Repair-KubeSecurityFinding through the staged module, as manifests and on the local API test server.</summary>
public class RepairCmdletTests
{
    [Fact]
    public void Repairs_as_manifests_fix_the_demo_workloads_and_skip_what_is_not_mechanical()
    {
        using var session = new ModuleSession();
        session.Run("$s = Get-KubeSnapshot -Path $args[0]", ModuleSession.DemoCluster);
        KubeObject[] repaired = session.Run("$s | Test-KubePodSecurity -Level Restricted -Namespace shop | Repair-KubeSecurityFinding -AsManifest -Snapshot $s -Verbose")
            .Select(o => o.BaseObject).OfType<KubeObject>().ToArray();
        Assert.Contains(repaired, o => o.Name == "cart" && o.ToJson().Contains("\"runAsNonRoot\": true", StringComparison.Ordinal));
        Assert.Contains(session.Warnings, w => w.Contains("no mechanical fix", StringComparison.Ordinal));

        // The repaired objects pass the controls they were repaired for.
        session.Run("$fixed = $s | Test-KubePodSecurity -Level Restricted -Namespace shop | Where-Object RuleId -eq KSEC-POD-014 | Repair-KubeSecurityFinding -AsManifest -Snapshot $s");
        string dir = ModuleSession.TempDirectory();
        session.Run("$fixed | Export-KubeManifest -Path $args[0]", Path.Combine(dir, "fixed.yaml"));
        Finding[] after = session.Run("Test-KubePodSecurity -Path $args[0] -Level Restricted", dir).Select(o => o.BaseObject).OfType<Finding>().ToArray();
        Assert.DoesNotContain(after, f => f.RuleId == "KSEC-POD-014");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task Repairs_on_a_live_cluster_show_changes_under_WhatIf_and_return_before_and_after()
    {
        var cluster = new[]
        {
            new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "shop" } },
            new System.Text.Json.Nodes.JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "web", ["namespace"] = "shop" },
                ["spec"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["template"] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["spec"] = new System.Text.Json.Nodes.JsonObject
                        {
                            ["containers"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                            {
                                ["name"] = "web", ["image"] = "nginx:1.27", ["securityContext"] = new System.Text.Json.Nodes.JsonObject { ["privileged"] = true },
                            }),
                        },
                    },
                },
            },
        };
        await using TestApiServer.KubeApiTestServer server = await TestApiServer.KubeApiTestServer.StartAsync(cluster);
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        using var session = new ModuleSession();
        session.Run("$f = Test-KubePodSecurity -Kubeconfig $args[0] | Where-Object RuleId -in KSEC-POD-003, KSEC-POD-018", kubeconfig);
        session.Run("$f | Repair-KubeSecurityFinding -Kubeconfig $args[0] -WhatIf", kubeconfig);
        Assert.DoesNotContain(server.RequestLog, r => r.StartsWith("PUT", StringComparison.Ordinal));

        RepairResult[] results = session.Run("$f | Repair-KubeSecurityFinding -Kubeconfig $args[0] -Confirm:$false", kubeconfig).Select(o => o.BaseObject).OfType<RepairResult>().ToArray();
        Assert.Empty(session.Errors);
        RepairResult privileged = Assert.Single(results, r => r.RuleId == "KSEC-POD-003");
        Assert.Contains("privileged: true -> false", string.Join(" ", privileged.Changes), StringComparison.Ordinal);
        Assert.True(privileged.Before!.ToJson().Contains("\"privileged\": true", StringComparison.Ordinal));
        RepairResult label = Assert.Single(results, r => r.RuleId == "KSEC-POD-018");
        Assert.Contains("\"pod-security.kubernetes.io/enforce\": \"baseline\"", label.After!.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain(session.Run("Test-KubePodSecurity -Kubeconfig $args[0]", kubeconfig).Select(o => o.BaseObject).OfType<Finding>(), f => f.RuleId is "KSEC-POD-003" or "KSEC-POD-018");
    }
}
