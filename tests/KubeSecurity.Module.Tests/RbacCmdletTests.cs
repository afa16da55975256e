using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeSecurity.Model;
using KubeSecurity.TestApiServer;

namespace KubeSecurity.Module.Tests;

/// <summary>The RBAC cmdlets through the staged module, on the demo cluster and the local API test server.</summary>
public class RbacCmdletTests
{
    private static T[] Of<T>(IEnumerable<PSObject> output) => output.Select(o => o.BaseObject).OfType<T>().ToArray();

    [Fact]
    public void Test_KubeRbac_finds_every_planted_rbac_problem_of_the_demo_cluster()
    {
        using var session = new ModuleSession();
        Finding[] findings = Of<Finding>(session.Run("Test-KubeRbac -Path $args[0]", ModuleSession.DemoCluster));

        Assert.Empty(session.Errors);
        Assert.Contains(findings, f => f.RuleId == "KSEC-RBAC-001" && f.Name == "ci-deployer-cluster-admin"); // DEMO-RBAC-1
        Assert.Contains(findings, f => f.RuleId == "KSEC-RBAC-001" && f.Name == "payments-operators"); // DEMO-RBAC-2
        Assert.Contains(findings, f => f.RuleId == "KSEC-RBAC-015" && f.Name == "all-users-read-secrets"); // DEMO-RBAC-3
        Assert.Contains(findings, f => f.RuleId == "KSEC-RBAC-016" && f.Name == "old-auditor"); // DEMO-RBAC-4
        Assert.Contains(findings, f => f.RuleId == "KSEC-RBAC-013" && f.Name == "default-sa-edit"); // DEMO-RBAC-5
        Assert.Contains(findings, f => f.RuleId == "KSEC-RBAC-019" && f.Name == "aws-auth"); // DEMO-RBAC-6
        Assert.Equal(findings.OrderByDescending(f => f.Severity).Select(f => f.Severity), findings.Select(f => f.Severity));

        Finding[] onlyDeployer = Of<Finding>(session.Run("Test-KubeRbac -Path $args[0] -Subject 'ServiceAccount:ci/*'", ModuleSession.DemoCluster));
        Assert.NotEmpty(onlyDeployer);
        Assert.All(onlyDeployer, f => Assert.StartsWith("ServiceAccount:ci/", f.Evidence["Subject"], StringComparison.Ordinal));
    }

    [Fact]
    public void Who_can_access_checks_and_permissions_compose_in_one_pipeline_from_a_snapshot()
    {
        using var session = new ModuleSession();
        session.Run("$s = Get-KubeSnapshot -Path $args[0]", ModuleSession.DemoCluster);

        RbacPermission[] who = Of<RbacPermission>(session.Run("$s | Get-KubeRbacSubject -Verb list -Resource secrets -Namespace payments"));
        Assert.Contains(who, r => r.Subject.ToString() == "Group:system:authenticated" && r.Binding!.Name == "all-users-read-secrets");
        Assert.Contains(who, r => r.Subject.ToString() == "Group:payments-devs" && r.Role!.Name == "edit");
        Assert.Contains(who, r => r.Subject.ToString() == "ServiceAccount:ingress-nginx/ingress-nginx");
        Assert.Contains(who, r => r.Subject.ToString() == "Group:system:masters");

        RbacAccessResult access = Of<RbacAccessResult>(session.Run("$s | Test-KubeRbacAccess -Subject ServiceAccount:default/default -Verb create -Resource pods/exec -Namespace default")).Single();
        Assert.True(access.Allowed);
        Assert.Contains("default-sa-edit", access.Reason, StringComparison.Ordinal);
        Assert.Equal(new object[] { false }, session.Run("$s | Test-KubeRbacAccess -Subject ServiceAccount:default/default -Verb create -Resource pods -Namespace shop -Quiet").Select(o => o.BaseObject));
        Assert.Equal(new object[] { true }, session.Run("$s | Test-KubeRbacAccess -Subject arn:aws:iam::111122223333:role/ops-admin -Verb delete -Resource nodes -Quiet").Select(o => o.BaseObject));

        RbacPermission[] rows = Of<RbacPermission>(session.Run("$s | Get-KubeRbacPermission -Subject ServiceAccount:ci/deployer"));
        Assert.Contains(rows, r => r.Rule == "* *.*" && r.Scope == "*");
        Assert.Contains(rows, r => r.Via == "as Group:system:authenticated");
        RbacSubjectSummary[] summary = Of<RbacSubjectSummary>(session.Run("$s | Get-KubeRbacPermission -Summary"));
        Assert.True(summary.Single(s => s.Subject.ToString() == "ServiceAccount:ci/deployer").FullControl);
        Assert.False(summary.Single(s => s.Subject.ToString() == "ServiceAccount:monitoring/prometheus").FullControl);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public void Escalation_paths_come_with_ordered_steps_and_bad_targets_fail_clearly()
    {
        using var session = new ModuleSession();
        RbacEscalationPath[] paths = Of<RbacEscalationPath>(session.Run("Get-KubeRbacEscalationPath -Path $args[0] -Subject Group:payments-oncall -Target 'get secrets' -TargetNamespace kube-system -Verbose", ModuleSession.DemoCluster));
        Assert.Empty(session.Errors);
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.Equal(Enumerable.Range(1, p.Length), p.Steps.Select(s => s.Order)));
        Assert.Contains(session.Verbose, v => v.Contains("escalation graph", StringComparison.Ordinal));

        ErrorRecord error = session.RunExpectingTerminatingError("Get-KubeRbacEscalationPath -Path $args[0] -Target nonsense", ModuleSession.DemoCluster);
        Assert.Equal("InvalidRbacTarget,KubeSecurity.Commands.GetKubeRbacEscalationPathCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Malformed_rbac_objects_and_subjects_are_errors_with_ids_and_the_rest_is_analysed()
    {
        string dir = ModuleSession.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "rbac.yaml"), """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: typo}
            rules: [{apiGroups: [''], resources: [secrets], verbs: [gett, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: typo}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: typo}
            subjects: [{kind: User, name: tess, apiGroup: rbac.authorization.k8s.io}, {kind: Droid, name: r2}]
            """);
        using var session = new ModuleSession();
        Finding[] findings = Of<Finding>(session.Run("Test-KubeRbac -Path $args[0]", dir));
        Assert.Equal(2, session.Errors.Count(e => e.FullyQualifiedErrorId.StartsWith("RbacObjectInvalid,", StringComparison.Ordinal)));
        Assert.Contains(findings, f => f.RuleId == "KSEC-RBAC-003" && f.Evidence["Subject"] == "User:tess");

        session.Streams.Error.Clear();
        RbacAccessResult[] results = Of<RbacAccessResult>(session.Run("Test-KubeRbacAccess -Path $args[0] -Subject 'ServiceAccount:broken', User:tess -Verb list -Resource secrets -Namespace x", dir));
        Assert.Contains(session.Errors, e => e.FullyQualifiedErrorId == "InvalidSubject,KubeSecurity.Commands.TestKubeRbacAccessCommand" && e.TargetObject is "ServiceAccount:broken");
        Assert.True(Assert.Single(results).Allowed);
    }

    [Fact]
    public void New_KubeRbacRole_turns_an_audit_log_into_objects_for_Export_KubeManifest_and_reports_broken_lines()
    {
        string dir = ModuleSession.TempDirectory();
        string log = Path.Combine(dir, "audit.log");
        File.WriteAllLines(log, new[]
        {
            """{"kind":"Event","auditID":"a","stage":"ResponseComplete","verb":"list","user":{"username":"system:serviceaccount:ci:builder"},"objectRef":{"resource":"pods","namespace":"app","apiVersion":"v1"},"responseStatus":{"code":200}}""",
            "garbage line",
            """{"kind":"Event","auditID":"b","stage":"ResponseComplete","verb":"get","user":{"username":"system:serviceaccount:ci:builder"},"objectRef":{"resource":"nodes","name":"n1"},"responseStatus":{"code":200}}""",
        });
        using var session = new ModuleSession();
        KubeObject[] objects = Of<KubeObject>(session.Run("New-KubeRbacRole -AuditLog $args[0] -Subject ServiceAccount:ci/builder", log));
        Assert.Equal(new[] { "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding" }, objects.Select(o => o.Kind));
        Assert.All(objects, o => Assert.Equal("builder-observed", o.Name));
        ErrorRecord error = Assert.Single(session.Errors);
        Assert.Equal("AuditLogLineInvalid,KubeSecurity.Commands.NewKubeRbacRoleCommand", error.FullyQualifiedErrorId);
        Assert.Contains("line 2", error.Exception.Message, StringComparison.Ordinal);

        string yaml = Path.Combine(dir, "rbac.yaml");
        session.Run("New-KubeRbacRole $args[0] -Subject ServiceAccount:ci/builder -ErrorAction SilentlyContinue | Export-KubeManifest -Path $args[1]", log, yaml);
        Assert.Contains("kind: RoleBinding", File.ReadAllText(yaml), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_KubeRbacPermission_reports_what_a_change_to_the_manifests_grants()
    {
        string before = ModuleSession.TempDirectory();
        string after = ModuleSession.TempDirectory();
        const string Role = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: r}
            rules: [{apiGroups: [''], resources: [pods], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: team}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
            subjects: [{kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}]
            """;
        File.WriteAllText(Path.Combine(before, "rbac.yaml"), Role);
        File.WriteAllText(Path.Combine(after, "rbac.yaml"), Role.Replace("verbs: [get]", "verbs: [get, delete]", StringComparison.Ordinal));

        using var session = new ModuleSession();
        RbacPermissionChange change = Of<RbacPermissionChange>(session.Run("Compare-KubeRbacPermission -Reference $args[0] -Difference (Get-KubeSnapshot -Path $args[1])", before, after)).Single();
        Assert.Equal("Gained", change.Change);
        Assert.Equal(new[] { "delete" }, change.Verbs);
        Assert.Equal("team", change.Scope);
    }

    private static IEnumerable<JsonObject> LiveRbac()
    {
        yield return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "default" } };
        yield return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1", ["kind"] = "ClusterRole", ["metadata"] = new JsonObject { ["name"] = "edit" },
            ["rules"] = new JsonArray(new JsonObject { ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("pods"), ["verbs"] = new JsonArray("create") }),
        };
        yield return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1", ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = "default-sa-edit", ["namespace"] = "default" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "edit" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "default", ["namespace"] = "default" },
                new JsonObject { ["kind"] = "User", ["name"] = "dora", ["apiGroup"] = "rbac.authorization.k8s.io" }),
        };
        yield return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1", ["kind"] = "ClusterRoleBinding",
            ["metadata"] = new JsonObject { ["name"] = "old-auditor" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "auditor-v1" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "User", ["name"] = "auditor", ["apiGroup"] = "rbac.authorization.k8s.io" }),
        };
    }

    [Fact]
    public async Task Remove_KubeRbacBinding_removes_a_subject_or_the_binding_live_with_WhatIf_and_returns_the_backup()
    {
        await using KubeApiTestServer server = await KubeApiTestServer.StartAsync(LiveRbac());
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        using var session = new ModuleSession();

        // -WhatIf changes nothing, whether the binding is named or piped as an object (bound by property name).
        session.Run("Remove-KubeRbacBinding -Kubeconfig $args[0] -Kind RoleBinding -Namespace default -Name default-sa-edit -Subject ServiceAccount:default/default -WhatIf", kubeconfig);
        session.Run("Get-KubeObject -Kubeconfig $args[0] -Kind ClusterRoleBinding | Remove-KubeRbacBinding -Kubeconfig $args[0] -WhatIf", kubeconfig);
        Assert.Empty(session.Errors);
        Assert.Equal(0, server.RequestLog.Count(r => r.StartsWith("PUT", StringComparison.Ordinal) || r.StartsWith("DELETE", StringComparison.Ordinal)));

        // Findings from Test-KubeRbac pipe in: the default SA leaves its binding, the dangling binding goes.
        ApplyResult[] results = Of<ApplyResult>(session.Run(
            "Test-KubeRbac -Kubeconfig $args[0] | Where-Object RuleId -in KSEC-RBAC-013, KSEC-RBAC-016 | Remove-KubeRbacBinding -Kubeconfig $args[0] -Confirm:$false", kubeconfig));
        Assert.Empty(session.Errors);
        Assert.True(results.Any(r => r.Action == "SubjectRemoved"), string.Join("\n", results.Select(r => r.ToString())) + session.AllStreamText());
        ApplyResult removed = Assert.Single(results, r => r.Action == "SubjectRemoved");
        Assert.Equal(2, removed.Previous!.Json.GetProperty("subjects").GetArrayLength());
        Assert.Equal("dora", removed.Current.Json.GetProperty("subjects")[0].GetProperty("name").GetString());
        Assert.Single(results, r => r.Action == "Deleted" && r.Name == "old-auditor");
        Assert.Equal(0, server.Count("clusterrolebindings"));

        // A subject the binding does not name is an error with an id, and nothing changes.
        session.Run("Remove-KubeRbacBinding -Kubeconfig $args[0] -Kind RoleBinding -Namespace default -Name default-sa-edit -Subject User:nobody -Confirm:$false", kubeconfig);
        Assert.Equal("BindingSubjectNotFound,KubeSecurity.Commands.RemoveKubeRbacBindingCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
    }
}
