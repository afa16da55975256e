using System.Collections.ObjectModel;
using System.Management.Automation;
using KubeSecurity.Model;

namespace KubeSecurity.Module.Tests;

public class ObjectAndRuleCmdletTests
{
    [Fact]
    public void Get_KubeObject_filters_a_piped_snapshot_by_kind_namespace_and_name_wildcards()
    {
        using var session = new ModuleSession();
        List<KubeObject> secrets = session.Run("Get-KubeSnapshot -Path $args[0] | Get-KubeObject -Kind secret -Namespace shop -Name '*tls*'", ModuleSession.DemoCluster)
            .Select(o => (KubeObject)o.BaseObject).ToList();

        Assert.Equal(new[] { "shop-tls", "shop-tls-legacy" }, secrets.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(secrets, s => Assert.Equal("Secret", s.Kind));
    }

    [Fact]
    public void Kube_objects_expose_kubectl_style_age_and_bind_by_property_name()
    {
        using var session = new ModuleSession();
        string age = session.Run("(Get-KubeObject -Path $args[0] -Kind CertificateSigningRequest).Age", ModuleSession.DemoCluster).Single().ToString();
        Assert.Matches("^[0-9]+d$", age);

        // Saved paths arrive by property name (PSPath, as the file-system provider's items carry it).
        KubeSnapshot byProperty = (KubeSnapshot)session.Run("[pscustomobject]@{ PSPath = [System.IO.Path]::Combine($args[0], 'ci.yaml') } | Get-KubeSnapshot", ModuleSession.DemoCluster).Single().BaseObject;
        Assert.Equal(new[] { "ci.yaml" }, byProperty.Origins.Select(Path.GetFileName));

        // Kind/Namespace/Name flow by property name into the next cmdlet's parameters.
        Collection<PSObject> rules = session.Run("[pscustomobject]@{ RuleId = 'KSEC-GEN-001' } | Get-KubeSecurityRule");
        Assert.Equal("KSEC-GEN-001", ((SecurityRule)rules.Single().BaseObject).Id);
    }

    [Fact]
    public void Get_KubeSecurityRule_filters_and_reports_unknown_ids()
    {
        using var session = new ModuleSession();
        List<SecurityRule> coverage = session.Run("Get-KubeSecurityRule -Category Coverage -MinimumSeverity Medium").Select(o => (SecurityRule)o.BaseObject).ToList();
        Assert.Equal(new[] { "KSEC-GEN-001", "KSEC-GEN-003" }, coverage.Select(r => r.Id));

        Assert.Equal(4, session.Run("Get-KubeSecurityRule -Id 'KSEC-GEN-*'").Count);
        session.Run("Get-KubeSecurityRule -Id KSEC-NOPE-999");
        Assert.Equal("NoMatchingRule,KubeSecurity.Commands.GetKubeSecurityRuleCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Severity_compares_in_Where_Object_as_users_write_it()
    {
        using var session = new ModuleSession();
        Collection<PSObject> high = session.Run("[KubeSecurity.Model.Finding]::new('KSEC-X-001','t',[KubeSecurity.Model.Severity]::Critical,'c',[KubeSecurity.Model.ResourceRef]::new('Pod','n','p'),'m','r',$null,$null), [KubeSecurity.Model.Finding]::new('KSEC-X-002','t','Low','c',[KubeSecurity.Model.ResourceRef]::new('Pod','n','q'),'m','r',$null,$null) | Where-Object Severity -ge High");
        Assert.Equal("KSEC-X-001", ((Finding)high.Single().BaseObject).RuleId);
    }

    [Fact]
    public void Export_KubeManifest_writes_applicable_yaml_from_objects_text_and_hashtables()
    {
        using var session = new ModuleSession();
        string yaml = session.Run("Get-KubeObject -Path $args[0] -Kind Role -Namespace payments | Export-KubeManifest", ModuleSession.DemoCluster).Single().ToString();
        Assert.StartsWith("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: payments-operator", yaml.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);

        string fromHashtable = session.Run("@{ apiVersion = 'v1'; kind = 'Namespace'; metadata = @{ name = 'sandbox'; labels = @{ 'pod-security.kubernetes.io/enforce' = 'restricted' } } } | Export-KubeManifest").Single().ToString();
        Assert.Contains("name: sandbox", fromHashtable, StringComparison.Ordinal);
        Assert.Contains("pod-security.kubernetes.io/enforce: restricted", fromHashtable, StringComparison.Ordinal);

        string fromCustomObject = session.Run("[pscustomobject]@{ apiVersion = 'v1'; kind = 'ServiceAccount'; metadata = [pscustomobject]@{ name = 'robot'; namespace = 'ci' }; automountServiceAccountToken = $false } | Export-KubeManifest").Single().ToString();
        Assert.Contains("automountServiceAccountToken: false", fromCustomObject, StringComparison.Ordinal);

        string survivor = session.Run("@{ not = 'an object' }, \"apiVersion: v1`nkind: Namespace`nmetadata: {name: ok}\" | Export-KubeManifest").Single().ToString();
        Assert.Contains("name: ok", survivor, StringComparison.Ordinal);
        Assert.Equal("InvalidInputObject,KubeSecurity.Commands.ExportKubeManifestCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Export_KubeManifest_to_a_file_respects_WhatIf_and_NoClobber()
    {
        string directory = ModuleSession.TempDirectory();
        string path = Path.Combine(directory, "out.yaml");
        using var session = new ModuleSession();
        session.Run("Get-KubeObject -Path $args[0] -Kind NetworkPolicy | Export-KubeManifest -Path $args[1] -WhatIf", ModuleSession.DemoCluster, path);
        Assert.False(File.Exists(path));

        PSObject file = session.Run("Get-KubeObject -Path $args[0] -Kind NetworkPolicy | Export-KubeManifest -Path $args[1] -PassThru", ModuleSession.DemoCluster, path).Single();
        Assert.IsType<FileInfo>(file.BaseObject);
        KubeSnapshot reread = (KubeSnapshot)session.Run("Get-KubeSnapshot -Path $args[0]", path).Single().BaseObject;
        Assert.Equal(5, reread.Counts["NetworkPolicy"]);

        session.Run("Get-KubeObject -Path $args[0] -Kind Namespace | Export-KubeManifest -Path $args[1] -NoClobber", ModuleSession.DemoCluster, path);
        Assert.Equal("FileExists,KubeSecurity.Commands.ExportKubeManifestCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
    }
}
