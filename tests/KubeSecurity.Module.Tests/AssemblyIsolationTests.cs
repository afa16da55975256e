using System.Runtime.Loader;
using KubeSecurity.Model;

namespace KubeSecurity.Module.Tests;

/// <summary>
/// The powershell-yaml / YamlDotNet clash: another module has already loaded a different
/// YamlDotNet into the default load context. KubeSecurity must still import and read YAML
/// with its own copy, loaded into its private context.
/// </summary>
public class AssemblyIsolationTests
{
    [Fact]
    public void The_module_reads_yaml_with_its_own_YamlDotNet_when_another_version_is_already_loaded()
    {
        // What powershell-yaml does: load its YamlDotNet (here 13.7.1) into the default context and use it.
        var other = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, string>>("loaded: first");
        Assert.Equal("first", other["loaded"]);
        System.Reflection.Assembly defaultYaml = typeof(YamlDotNet.Serialization.Deserializer).Assembly;
        Assert.Equal(13, defaultYaml.GetName().Version!.Major);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(defaultYaml));

        using var session = new ModuleSession();
        KubeSnapshot snapshot = (KubeSnapshot)session.Run("Get-KubeSnapshot -Path $args[0]", ModuleSession.DemoCluster).Single().BaseObject;
        Assert.Empty(session.Errors);
        Assert.True(snapshot.ObjectCount > 80, $"only {snapshot.ObjectCount} objects");

        System.Reflection.Assembly[] yamlCopies = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "YamlDotNet").ToArray();
        System.Reflection.Assembly moduleYaml = Assert.Single(yamlCopies, a => AssemblyLoadContext.GetLoadContext(a)?.Name == "KubeSecurity");
        Assert.NotEqual(defaultYaml.GetName().Version, moduleYaml.GetName().Version);
        Assert.StartsWith(Path.Combine(Path.GetDirectoryName(ModuleSession.ManifestPath)!, "Dependencies"), moduleYaml.Location, StringComparison.Ordinal);

        // The engine itself lives in the private context, the public model in the default one.
        System.Reflection.Assembly engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "KubeSecurity.Core");
        Assert.Equal("KubeSecurity", AssemblyLoadContext.GetLoadContext(engine)?.Name);
        System.Reflection.Assembly model = Assert.Single(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "KubeSecurity.Model");
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(model));
    }

    [Theory]
    [InlineData("BouncyCastle.Cryptography")]
    [InlineData("YamlDotNet")]
    [InlineData("KubernetesClient")]
    public void The_cmdlet_assembly_names_no_engine_dependency(string dependency)
    {
        // The cmdlets load outside the module's private context: calling an engine method whose
        // signature names a dependency's type makes them load that dependency themselves, which fails
        // ("Could not load file or assembly 'BouncyCastle.Cryptography'") when the command runs.
        string cmdlets = Path.Combine(Path.GetDirectoryName(ModuleSession.ManifestPath)!, "KubeSecurity.dll");
        using FileStream stream = File.OpenRead(cmdlets);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        System.Reflection.Metadata.MetadataReader metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        string[] references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToArray();
        Assert.Contains("KubeSecurity.Core", references);
        Assert.DoesNotContain(dependency, references);
    }
}
