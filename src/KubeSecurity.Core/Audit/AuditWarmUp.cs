using System.Reflection;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>
/// Audits a small built-in cluster (the demo cluster) once, on a background thread, while a large
/// input is read. A fresh process spends seconds of its first audit of a big cluster loading types,
/// initialising the analyses' static data, the certificate and crypto libraries, and compiling hot
/// code; reading a large file or a live cluster leaves a core idle meanwhile, and the warm-up does
/// that work there instead. It runs at most once per process, only with a spare core, and what it
/// finds is discarded: it writes nothing, and a failure costs nothing but its own time.
/// </summary>
public static class AuditWarmUp
{
    private const string ResourcePrefix = "KubeSecurity.Core.WarmUp.";
    private static readonly DateTimeOffset AsOf = new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero);
    private static int started;

    /// <summary>Whether this process started the warm-up.</summary>
    internal static bool HasStarted => Volatile.Read(ref started) == 1;

    /// <summary>Starts the warm-up when the files (or the manifests in the folders) take a while to read.</summary>
    public static void StartForFiles(IEnumerable<string> paths)
    {
        if (LargeEnough(paths))
        {
            Start();
        }
    }

    /// <summary>Whether the files, or the manifests in the folders, come to 16 MiB together; counting stops as soon as they do.</summary>
    internal static bool LargeEnough(IEnumerable<string> paths)
    {
        long threshold = InputLimits.Default.DetachBodiesFromFilesOver;
        long total = 0;
        foreach (string path in paths)
        {
            try
            {
                IEnumerable<string> files = Directory.Exists(path) ? ManifestReader.EnumerateManifestFiles(path) : File.Exists(path) ? new[] { path } : Array.Empty<string>();
                foreach (string file in files)
                {
                    total += new FileInfo(file).Length;
                    if (total >= threshold)
                    {
                        return true;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                // The reader reports an unreadable path; the warm-up only needs a size.
            }
        }

        return false;
    }

    /// <summary>Starts the warm-up (a live collection waits on the network); later calls do nothing.</summary>
    public static void Start()
    {
        if (Environment.ProcessorCount < 2 || Interlocked.Exchange(ref started, 1) == 1)
        {
            return;
        }

        var thread = new Thread(() => Run()) { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "KubeSecurity audit warm-up" };
        thread.Start();
    }

    /// <summary>The warm-up's audit, on the calling thread: the findings of the built-in cluster, or null when it failed.</summary>
    internal static AuditResult? Run()
    {
        // Once is enough: five passes measured no better, as what remains cold depends on the input's size.
        try
        {
            return AuditRunner.Run(BuiltInCluster(), new AuditOptions { AsOf = AsOf });
        }
        catch (Exception)
        {
            return null; // a warm-up that fails changes nothing the user asked for
        }
    }

    /// <summary>The demo cluster the module carries for the warm-up.</summary>
    internal static KubeSnapshot BuiltInCluster()
    {
        Assembly assembly = typeof(AuditWarmUp).Assembly;
        var reader = new ManifestReader();
        var result = new ManifestReadResult();
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            reader.ReadBytes(bytes.ToArray(), name[ResourcePrefix.Length..], result);
        }

        return new KubeSnapshot(SnapshotSource.Files, null, null, null, AsOf, result.Objects);
    }
}
