using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Module.Tests;

/// <summary>
/// Several clusters at once: two local API test servers (east, west) and a context whose server is
/// down, all in one kubeconfig, through the staged module.
/// </summary>
public sealed class FleetCmdletTests : IAsyncLifetime
{
    private KubeApiTestServer east = null!;
    private KubeApiTestServer west = null!;
    private string kubeconfig = null!;

    public async Task InitializeAsync()
    {
        east = await KubeApiTestServer.StartAsync(Cluster("shop", privileged: true));
        west = await KubeApiTestServer.StartAsync(Cluster("blog", privileged: false));
        kubeconfig = KubeApiTestServer.WriteFleetKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "fleet-kubeconfig"),
            new (string, KubeApiTestServer?)[] { ("east", east), ("west", west), ("down", null) });
    }

    public async Task DisposeAsync()
    {
        await east.DisposeAsync();
        await west.DisposeAsync();
    }

    private static IEnumerable<JsonObject> Cluster(string ns, bool privileged)
    {
        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } };
        yield return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "web", ["image"] = "nginx:1.27", ["securityContext"] = new JsonObject { ["privileged"] = privileged },
                        }),
                    },
                },
            },
        };
    }

    [Fact]
    public void A_fleet_audit_marks_every_finding_with_its_cluster_and_a_down_cluster_is_one_error_record()
    {
        using var session = new ModuleSession();
        PSObject[] output = session.Run("Invoke-KubeSecurityAudit -Kubeconfig $args[0] -Context east, west, down -ThrottleLimit 2", kubeconfig).ToArray();

        Finding[] findings = output.Select(o => o.BaseObject).OfType<Finding>().ToArray();
        Assert.Contains(findings, f => f.Context == "east" && f.RuleId == "KSEC-POD-003" && f.Resource.ToString() == "Deployment/shop/web");
        Assert.DoesNotContain(findings, f => f.Context == "west" && f.RuleId == "KSEC-POD-003");
        Assert.Contains(findings, f => f.Context == "west" && f.Namespace == "blog");
        Assert.All(findings, f => Assert.Equal(f.Context + "-cluster", f.Cluster));

        AuditSummary[] summaries = output.Select(o => o.BaseObject).OfType<AuditSummary>().ToArray();
        Assert.Equal(new[] { "east", "west" }, summaries.Select(s => s.Context).Order(StringComparer.Ordinal));
        Assert.Equal(findings.Length, summaries.Sum(s => s.Total));

        ErrorRecord down = Assert.Single(session.Errors);
        Assert.Equal("down", down.TargetObject);
        Assert.StartsWith("ApiUnreachable,", down.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.StartsWith("Context 'down': ", down.ErrorDetails.Message, StringComparison.Ordinal);

        // Each cluster has its own progress bar under the overall one, and is audited there too (in parallel with the others).
        Assert.Contains(session.Streams.Progress, p => p.ParentActivityId >= 0 && p.Activity.StartsWith("east: ", StringComparison.Ordinal));
        Assert.Contains(session.Streams.Progress, p => p.ParentActivityId >= 0 && p.Activity == "west: Security audit");
        Assert.Contains(session.Streams.Progress, p => p.Activity == "Collecting from clusters" && p.StatusDescription.StartsWith("3 of 3 done", StringComparison.Ordinal));
    }

    [Fact]
    public void Wildcards_expand_to_the_kubeconfig_contexts_and_other_output_carries_cluster_and_context_properties()
    {
        using var session = new ModuleSession();
        KubeSnapshot[] snapshots = session.Run("Get-KubeSnapshot -Kubeconfig $args[0] -Context 'e*', 'w*', 'nomatch*' -Kind Namespace", kubeconfig)
            .Select(o => (KubeSnapshot)o.BaseObject).ToArray();
        Assert.Equal(new[] { "east", "west" }, snapshots.Select(s => s.Context).Order(StringComparer.Ordinal));
        ErrorRecord unmatched = Assert.Single(session.Errors);
        Assert.Equal("ContextNotFound,KubeSecurity.Commands.GetKubeSnapshotCommand", unmatched.FullyQualifiedErrorId);
        Assert.Contains("Contexts: east, west, down", unmatched.Exception.Message, StringComparison.Ordinal);

        using var objects = new ModuleSession();
        PSObject[] westOnly = objects.Run("Get-KubeObject -Kubeconfig $args[0] -Context * -Kind Namespace | Where-Object Context -eq 'west'", kubeconfig).ToArray();
        PSObject ns = Assert.Single(westOnly);
        Assert.Equal("blog", ((KubeObject)ns.BaseObject).Name);
        Assert.Equal("west-cluster", ns.Properties["Cluster"].Value);
        Assert.Equal("down", Assert.Single(objects.Errors).TargetObject);
    }

    [Fact]
    public void A_fleet_report_names_each_cluster_and_FailOn_fails_after_every_cluster_was_audited()
    {
        using var session = new ModuleSession();
        string dir = ModuleSession.TempDirectory();
        string json = Path.Combine(dir, "fleet.json");
        string html = Path.Combine(dir, "fleet.html");
        session.Run("$a = Invoke-KubeSecurityAudit -Kubeconfig $args[0] -Context east, west; $a | Export-KubeSecurityReport -Format Json -Path $args[1]; $a | Export-KubeSecurityReport -Format Html -Path $args[2]", kubeconfig, json, html);
        Assert.Empty(session.Errors);

        using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(json)))
        {
            Assert.Equal(new[] { "east", "west" }, report.RootElement.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("context").GetString()).Order(StringComparer.Ordinal));
            Assert.Equal(JsonValueKind.Null, report.RootElement.GetProperty("summary").GetProperty("context").ValueKind);
            Assert.All(report.RootElement.GetProperty("findings").EnumerateArray(), f => Assert.StartsWith(f.GetProperty("context").GetString() + "|", f.GetProperty("key").GetString(), StringComparison.Ordinal));
        }

        string page = File.ReadAllText(html);
        Assert.Contains("2 clusters", page, StringComparison.Ordinal);
        Assert.Contains("<th>Cluster</th>", page, StringComparison.Ordinal);

        session.Run("Invoke-KubeSecurityAudit -Kubeconfig $args[0] -Context east, west -FailOn High | Out-Null", kubeconfig);
        ErrorRecord failed = session.Errors.Single(e => e.FullyQualifiedErrorId.StartsWith("AuditFailed", StringComparison.Ordinal));
        Assert.Equal("AuditFailed,KubeSecurity.Commands.InvokeKubeSecurityAuditCommand", failed.FullyQualifiedErrorId);
        Assert.Contains("east: KSEC-POD-003 Deployment/shop/web", failed.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_of_a_fleet_are_repaired_through_the_context_they_were_found_through_and_never_another()
    {
        using var session = new ModuleSession();
        session.Run("$f = Invoke-KubeSecurityAudit -Kubeconfig $args[0] -Context east, west -IncludeRule KSEC-POD-018", kubeconfig);
        session.Run("$f | Where-Object RuleId -eq KSEC-POD-018 | Where-Object Context -eq east | Repair-KubeSecurityFinding -Kubeconfig $args[0] -Context west -WhatIf", kubeconfig);
        ErrorRecord mismatch = Assert.Single(session.Errors);
        Assert.Equal("FindingFromOtherContext,KubeSecurity.Commands.RepairKubeSecurityFindingCommand", mismatch.FullyQualifiedErrorId);

        using var repair = new ModuleSession();
        repair.Run("$f = Invoke-KubeSecurityAudit -Kubeconfig $args[0] -Context east, west -IncludeRule KSEC-POD-018", kubeconfig);
        RepairResult[] results = repair.Run("$f | Where-Object RuleId | Repair-KubeSecurityFinding -Kubeconfig $args[0] -Confirm:$false", kubeconfig).Select(o => o.BaseObject).OfType<RepairResult>().ToArray();
        Assert.Empty(repair.Errors);
        Assert.Equal(2, results.Length);
        Assert.Contains(east.RequestLog, r => r.StartsWith("PUT /api/v1/namespaces/shop", StringComparison.Ordinal));
        Assert.DoesNotContain(east.RequestLog, r => r.Contains("namespaces/blog", StringComparison.Ordinal));
        Assert.Contains(west.RequestLog, r => r.StartsWith("PUT /api/v1/namespaces/blog", StringComparison.Ordinal));
        Assert.DoesNotContain(west.RequestLog, r => r.Contains("namespaces/shop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_the_pipeline_stops_every_cluster_of_a_fleet_promptly()
    {
        east.Latency = TimeSpan.FromSeconds(10);
        west.Latency = TimeSpan.FromSeconds(10);
        using var session = new ModuleSession();
        await session.AssertStopsPromptly("Invoke-KubeSecurityAudit -Kubeconfig $args[0] -Context east, west", kubeconfig);
    }
}
