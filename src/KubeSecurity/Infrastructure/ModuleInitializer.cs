using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// Loads the engine (KubeSecurity.Core) and everything it depends on (KubernetesClient, YamlDotNet,
/// ...) from Dependencies/ into the module's own AssemblyLoadContext. Only the engine is resolved
/// from the default context; the engine's dependencies are then resolved by the private context,
/// so another module's YamlDotNet of any version (loaded before or after) never collides with ours.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private const string EngineAssembly = "KubeSecurity.Core";
    private static int registered;

    internal static string ModuleDirectory { get; } = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    internal static DependencyLoadContext Dependencies { get; } = new(Path.Combine(ModuleDirectory, "Dependencies"));

    public void OnImport()
    {
        // Once per process: the module can be imported into many runspaces.
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        string.Equals(name.Name, EngineAssembly, StringComparison.Ordinal) ? Dependencies.LoadFromAssemblyName(name) : null;
}

/// <summary>The module's private load context: prefers Dependencies/, shares the public model with the default context.</summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly Assembly ModelAssembly = typeof(KubeSecurity.Model.Finding).Assembly;
    private readonly string directory;

    public DependencyLoadContext(string directory) : base("KubeSecurity", isCollectible: false) => this.directory = directory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Output types must be the very types PowerShell sees, so the model is never loaded twice.
        if (string.Equals(assemblyName.Name, ModelAssembly.GetName().Name, StringComparison.Ordinal))
        {
            return ModelAssembly;
        }

        string candidate = Path.Combine(directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
