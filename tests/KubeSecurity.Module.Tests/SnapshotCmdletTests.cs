using System.Management.Automation;
using System.Text;
using KubeSecurity.Model;

namespace KubeSecurity.Module.Tests;

public class SnapshotCmdletTests
{
    [Fact]
    public void Get_KubeSnapshot_reads_the_demo_cluster_into_one_snapshot()
    {
        using var session = new ModuleSession();
        PSObject output = session.Run("Get-KubeSnapshot -Path $args[0]", ModuleSession.DemoCluster).Single();

        Assert.Empty(session.Errors);
        KubeSnapshot snapshot = Assert.IsType<KubeSnapshot>(output.BaseObject);
        Assert.Equal(SnapshotSource.Files, snapshot.Source);
        Assert.Equal(8, snapshot.Counts["Namespace"]);
        Assert.Equal(new[] { "Certificate" }, snapshot.UnknownKinds);
        Assert.Equal(13, snapshot.Origins.Count);
    }

    [Fact]
    public void Files_piped_from_Get_ChildItem_become_one_snapshot_and_wildcards_resolve()
    {
        using var session = new ModuleSession();
        KubeSnapshot piped = (KubeSnapshot)session.Run("[System.IO.Directory]::GetFiles($args[0], '*.yaml') | Get-KubeSnapshot", ModuleSession.DemoCluster).Single().BaseObject;
        KubeSnapshot wildcard = (KubeSnapshot)session.Run("Get-KubeSnapshot -Path ([System.IO.Path]::Combine($args[0], 'p*.yaml'))", ModuleSession.DemoCluster).Single().BaseObject;

        Assert.Empty(session.Errors);
        Assert.Equal(13, piped.Origins.Count);
        Assert.Equal(new[] { "payments.yaml" }, wildcard.Origins.Select(Path.GetFileName));
    }

    [Fact]
    public void A_malformed_document_is_a_non_terminating_error_naming_file_and_document_and_the_rest_loads()
    {
        string directory = ModuleSession.TempDirectory();
        string file = Path.Combine(directory, "mixed.yaml");
        File.WriteAllText(file, "apiVersion: v1\nkind: Namespace\nmetadata: {name: good}\n---\nkind: [broken\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: also-good}\n");

        using var session = new ModuleSession();
        KubeSnapshot snapshot = (KubeSnapshot)session.Run("Get-KubeSnapshot -Path $args[0]", file).Single().BaseObject;

        Assert.Equal(2, snapshot.ObjectCount);
        ErrorRecord error = Assert.Single(session.Errors);
        Assert.Equal("ManifestParseError,KubeSecurity.Commands.GetKubeSnapshotCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ParserError, error.CategoryInfo.Category);
        Assert.Equal($"{file} (document 2)", error.TargetObject);
        // The parser names where it noticed the unclosed sequence: its line or the document's end.
        Assert.Matches("malformed YAML at line [56], column [0-9]+: While parsing a flow sequence", error.Exception.Message);
        Assert.Single(snapshot.InputProblems);
    }

    [Fact]
    public void A_missing_path_is_an_ItemNotFound_error_and_an_unknown_kind_is_refused()
    {
        using var session = new ModuleSession();
        session.Run("Get-KubeSnapshot -Path ./does-not-exist.yaml");
        ErrorRecord error = Assert.Single(session.Errors);
        Assert.Equal("PathNotFound,KubeSecurity.Commands.GetKubeSnapshotCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);

        ErrorRecord kind = session.RunExpectingTerminatingError("Get-KubeSnapshot -Path $args[0] -Kind Gadget", ModuleSession.DemoCluster);
        Assert.Equal("InvalidKind,KubeSecurity.Commands.GetKubeSnapshotCommand", kind.FullyQualifiedErrorId);
        Assert.Contains("Known kinds:", kind.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespace_and_kind_narrow_a_file_snapshot()
    {
        using var session = new ModuleSession();
        KubeSnapshot snapshot = (KubeSnapshot)session.Run("Get-KubeSnapshot -Path $args[0] -Namespace payments -Kind Secret, ClusterRole, Namespace", ModuleSession.DemoCluster).Single().BaseObject;
        Assert.All(snapshot.OfKind("Secret"), s => Assert.Equal("payments", s.Namespace));
        Assert.Equal("payments", Assert.Single(snapshot.OfKind("Namespace")).Name);
        Assert.NotEmpty(snapshot.OfKind("ClusterRole"));
        Assert.Empty(snapshot.OfKind("Pod"));
        Assert.Equal(new[] { "payments" }, snapshot.NamespaceScope);
    }

    [Fact]
    public void Export_and_import_round_trip_with_secret_values_redacted_by_default()
    {
        string directory = ModuleSession.TempDirectory();
        string path = Path.Combine(directory, "demo.ksnap");
        using var session = new ModuleSession();
        session.Run("Get-KubeSnapshot -Path $args[0] | Export-KubeSnapshot -Path $args[1]", ModuleSession.DemoCluster, path);
        Assert.Empty(session.Errors);
        Assert.True(File.Exists(path));

        KubeSnapshot imported = (KubeSnapshot)session.Run("Import-KubeSnapshot -Path $args[0]", path).Single().BaseObject;
        Assert.Equal(SnapshotSource.Saved, imported.Source);
        Assert.True(imported.SecretValuesRedacted);
        Assert.Equal(new[] { "Certificate" }, imported.UnknownKinds);
        string password = Convert.ToBase64String(Encoding.UTF8.GetBytes("S3cure-Demo-Passw0rd!"));
        Assert.DoesNotContain(imported.Objects, o => o.Json.GetRawText().Contains(password, StringComparison.Ordinal));

        // The saved file also reads through Get-KubeSnapshot -Path, keeping its origin.
        KubeSnapshot viaPath = (KubeSnapshot)session.Run("Get-KubeSnapshot -Path $args[0]", path).Single().BaseObject;
        Assert.Equal(SnapshotSource.Saved, viaPath.Source);
        Assert.Equal(imported.ObjectCount, viaPath.ObjectCount);
    }

    [Fact]
    public void Including_secret_values_is_an_explicit_opt_in_with_a_warning_and_WhatIf_writes_nothing()
    {
        string directory = ModuleSession.TempDirectory();
        using var session = new ModuleSession();
        session.Run("Get-KubeSnapshot -Path $args[0] | Export-KubeSnapshot -Path $args[1] -WhatIf", ModuleSession.DemoCluster, Path.Combine(directory, "whatif.ksnap"));
        Assert.False(File.Exists(Path.Combine(directory, "whatif.ksnap")));

        PSObject file = session.Run("Get-KubeSnapshot -Path $args[0] | Export-KubeSnapshot -Path $args[1] -IncludeSecretValues -PassThru", ModuleSession.DemoCluster, Path.Combine(directory, "full.ksnap")).Single();
        Assert.IsType<FileInfo>(file.BaseObject);
        Assert.Contains(session.Warnings, w => w.Contains("will hold Secret values", StringComparison.Ordinal));
        KubeSnapshot full = (KubeSnapshot)session.Run("Import-KubeSnapshot -Path $args[0]", Path.Combine(directory, "full.ksnap")).Single().BaseObject;
        Assert.False(full.SecretValuesRedacted);

        session.Run("Get-KubeSnapshot -Path $args[0] | Export-KubeSnapshot -Path $args[1] -NoClobber", ModuleSession.DemoCluster, Path.Combine(directory, "full.ksnap"));
        Assert.Equal("FileExists,KubeSecurity.Commands.ExportKubeSnapshotCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Importing_a_file_that_is_not_a_saved_snapshot_is_a_clear_error()
    {
        using var session = new ModuleSession();
        session.Run("Import-KubeSnapshot -Path $args[0]", Path.Combine(ModuleSession.DemoCluster, "shop.yaml"));
        ErrorRecord error = Assert.Single(session.Errors);
        Assert.Equal("UnsupportedSnapshotFormat,KubeSecurity.Commands.ImportKubeSnapshotCommand", error.FullyQualifiedErrorId);
        Assert.Contains("not a saved snapshot", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_values_never_reach_any_stream_while_loading_and_exporting()
    {
        string directory = ModuleSession.TempDirectory();
        using var session = new ModuleSession();
        string output = string.Join("\n", session.Run("$s = Get-KubeSnapshot -Path $args[0] -Verbose; $s | Export-KubeSnapshot -Path $args[1] -Verbose; $s | Get-KubeObject -Kind Secret -Verbose | Export-KubeManifest -Verbose", ModuleSession.DemoCluster, Path.Combine(directory, "s.ksnap")).Select(o => o.ToString()));
        string everything = output + session.AllStreamText();
        Assert.Contains("name: db-credentials", output, StringComparison.Ordinal);
        Assert.NotEmpty(session.Verbose);
        Assert.DoesNotContain("S3cure-Demo-Passw0rd!", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("S3cure-Demo-Passw0rd!")), everything, StringComparison.Ordinal);
    }
}
