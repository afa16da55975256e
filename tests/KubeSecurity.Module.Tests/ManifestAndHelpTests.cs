using System.Collections;
using System.Management.Automation;
using System.Reflection;

namespace KubeSecurity.Module.Tests;

public class ManifestAndHelpTests
{
    private static readonly string[] ExpectedCmdlets =
    {
        "Compare-KubeNetworkPolicy", "Compare-KubeRbacPermission", "Compare-KubeSecurityAudit", "Export-KubeManifest", "Export-KubeSecurityReport", "Export-KubeSnapshot", "Find-KubeCredentialLeak", "Get-KubeAttackPath", "Get-KubeAuditEvent", "Get-KubeCertificate", "Get-KubeCertificateSigningRequest", "Get-KubeComplianceReport", "Get-KubeConnectivityMap", "Get-KubeNetworkPolicyCoverage", "Get-KubeObject", "Get-KubeRbacEscalationPath", "Get-KubeRbacPermission", "Get-KubeRbacSubject", "Get-KubeSecretAccess", "Get-KubeSecretInventory", "Get-KubeSecurityRule", "Get-KubeSnapshot", "Get-KubeWorkloadIdentity", "Import-KubeSnapshot", "Invoke-KubeSecurityAudit", "New-KubeCertificate", "New-KubeNetworkPolicy", "New-KubeRbacRole", "New-KubeTlsSecret", "Remove-KubeRbacBinding", "Remove-KubeSecret", "Repair-KubeSecurityFinding", "Set-KubeNetworkPolicy", "Set-KubeServiceAccount", "Test-KubeAuditEvent", "Test-KubeCertificate", "Test-KubeCertificateRotation", "Test-KubeControlPlane", "Test-KubeEncryptionConfiguration", "Test-KubeKubelet", "Test-KubeNetworkConnectivity", "Test-KubeNetworkPolicy", "Test-KubePodSecurity", "Test-KubeRbac", "Test-KubeRbacAccess", "Test-KubeSecret",
    };

    [Fact]
    public void Test_ModuleManifest_passes_and_the_manifest_pins_edition_version_and_explicit_exports()
    {
        using var session = new ModuleSession(import: false);
        PSModuleInfo module = (PSModuleInfo)session.Run("Test-ModuleManifest -Path $args[0]", ModuleSession.ManifestPath).Single().BaseObject;

        Assert.Empty(session.Errors);
        Assert.Equal(new Version(7, 4), module.PowerShellVersion);
        Assert.Equal(new[] { "Core" }, module.CompatiblePSEditions);
        Assert.Equal(ExpectedCmdlets, module.ExportedCmdlets.Keys.Order(StringComparer.Ordinal));

        string manifestText = File.ReadAllText(ModuleSession.ManifestPath);
        Assert.DoesNotContain("'*'", manifestText, StringComparison.Ordinal);
        Hashtable psData = (Hashtable)((Hashtable)module.PrivateData)["PSData"]!;
        Assert.NotNull(psData["ProjectUri"]);
        Assert.NotNull(psData["ReleaseNotes"]);
        Assert.Contains("Kubernetes", (object[])psData["Tags"]!);
    }

    [Fact]
    public void The_manifest_version_is_the_assembly_version()
    {
        using var session = new ModuleSession();
        PSObject module = session.Run("Get-Module KubeSecurity").Single();
        Version moduleVersion = (Version)module.Properties["Version"].Value;
        string assemblyPath = Path.Combine(Path.GetDirectoryName(ModuleSession.ManifestPath)!, "KubeSecurity.dll");
        Version assemblyVersion = AssemblyName.GetAssemblyName(assemblyPath).Version!;
        Assert.Equal(moduleVersion, new Version(assemblyVersion.Major, assemblyVersion.Minor, assemblyVersion.Build));
    }

    [Fact]
    public void Every_exported_cmdlet_declares_output_types_and_has_help_with_synopsis_parameters_and_examples()
    {
        using var session = new ModuleSession();
        foreach (string name in ExpectedCmdlets)
        {
            CmdletInfo cmdlet = (CmdletInfo)session.Run("Get-Command -Name $args[0]", name).Single().BaseObject;
            Assert.NotEmpty(cmdlet.OutputType);

            PSObject help = session.Run("Get-Help -Name $args[0] -Full", name).Single();
            Assert.Empty(session.Errors);
            string synopsis = help.Properties["Synopsis"].Value?.ToString() ?? string.Empty;
            Assert.False(string.IsNullOrWhiteSpace(synopsis), $"{name} has no synopsis");
            Assert.DoesNotContain(name + " ", synopsis.TrimStart(), StringComparison.Ordinal); // not the auto-generated syntax stub

            object[] examples = session.Run("(Get-Help -Name $args[0] -Full).examples.example", name).Select(e => (object)e).ToArray();
            Assert.True(examples.Length >= 2, $"{name} has {examples.Length} examples");

            foreach (string parameter in cmdlet.Parameters.Keys.Where(p => !Cmdlet.CommonParameters.Contains(p) && !Cmdlet.OptionalCommonParameters.Contains(p)))
            {
                PSObject parameterHelp = session.Run("Get-Help -Name $args[0] -Parameter $args[1]", name, parameter).Single();
                string text = string.Join(" ", session.Run("$args[0].description | ForEach-Object { $_.Text }", parameterHelp).Select(t => t.ToString()));
                Assert.False(string.IsNullOrWhiteSpace(text), $"{name} -{parameter} has no description");
            }
        }
    }

    [Fact]
    public void The_build_script_and_pester_tests_parse_without_errors()
    {
        // pwsh is not on every machine that runs these tests; its parser is, so at least the scripts are valid PowerShell.
        string[] scripts = new[] { Path.Combine(ModuleSession.RepoRoot, "build.ps1") }
            .Concat(Directory.GetFiles(Path.Combine(ModuleSession.RepoRoot, "tests", "pester"), "*.ps1"))
            .ToArray();
        Assert.True(scripts.Length >= 2);
        foreach (string script in scripts)
        {
            System.Management.Automation.Language.Parser.ParseFile(script, out _, out System.Management.Automation.Language.ParseError[] errors);
            Assert.True(errors.Length == 0, $"{script}: {string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}"))}");
        }
    }

    [Fact]
    public void The_about_topic_is_installed()
    {
        using var session = new ModuleSession();
        string about = Path.Combine(Path.GetDirectoryName(ModuleSession.ManifestPath)!, "en-US", "about_KubeSecurity.help.txt");
        Assert.True(File.Exists(about));
        Assert.Contains("SECRET VALUES", File.ReadAllText(about), StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_cmdlets_support_whatif_and_confirm()
    {
        using var session = new ModuleSession();
        foreach (string name in new[] { "Export-KubeSnapshot", "Export-KubeManifest", "New-KubeCertificate" })
        {
            CmdletInfo cmdlet = (CmdletInfo)session.Run("Get-Command -Name $args[0]", name).Single().BaseObject;
            Assert.Contains("WhatIf", cmdlet.Parameters.Keys);
            Assert.Contains("Confirm", cmdlet.Parameters.Keys);
        }
    }
}
