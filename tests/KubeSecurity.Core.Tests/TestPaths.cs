using System.Reflection;

namespace KubeSecurity.Core.Tests;

internal static class TestPaths
{
    public static string RepoRoot { get; } = Path.GetFullPath(typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!);

    public static string DemoCluster => Path.Combine(RepoRoot, "samples", "demo-cluster");

    /// <summary>../shared/data beside the repository; absent on a plain clone elsewhere.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "kubesecurity-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
