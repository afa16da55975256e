using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Text;
using BenchmarkDotNet.Running;
using KubeSecurity.Benchmarks;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

// Modes:
//   (default)              BenchmarkDotNet: --filter '*FileLoad*' or '*Live*'
//   --figures              one-shot figures: peak memory of a 50k-object load, cold Import-Module,
//                          requests and wall time of live collection vs kubectl
//   --child-load <file>    (internal) load a dump in a fresh process and print its peak working set
//   --child-import         (internal) time Import-Module of the staged module in a fresh process
//   --audit-figures        Invoke-KubeSecurityAudit on the synthetic all-areas cluster in a fresh
//                          process (time, peak working set), and the 50,000-finding HTML report
//                          opened in headless Chromium
//   --child-audit <file>   (internal) audit a cluster file through the staged module
//   --write-audit-cluster <file>  write the synthetic all-areas cluster (80,200 objects) as one JSON
//                          List, the input of Measure-FreshProcessAudit.ps1 and --area-figures
//   --area-figures <file> [--by-type] [--passes N]  load a cluster file, then time each audit area and count what it
//                          allocates (with --by-type, the types it allocates most, from sampled events)
//   --memory-timeline <file>  load and audit a cluster file, printing the working set and GC heap per audit step
switch (args.FirstOrDefault())
{
    case "--figures":
        await Figures.RunAsync();
        return 0;
    case "--audit-figures":
        return AuditFigures.Run();
    case "--write-audit-cluster":
    {
        KubeSnapshot cluster = SyntheticAuditCluster.Build();
        SyntheticAuditCluster.Write(cluster, args[1]);
        Console.WriteLine($"{args[1]}: {SyntheticAuditCluster.Describe(cluster)}; {new FileInfo(args[1]).Length / 1048576.0:N0} MiB");
        return 0;
    }

    case "--area-figures":
        return AreaFigures.Run(args[1], args.Contains("--by-type"), args.SkipWhile(a => a != "--passes").Skip(1).Select(int.Parse).FirstOrDefault(1));
    case "--memory-timeline":
        return MemoryTimeline.Run(args[1]);
    case "--child-audit":
        return AuditFigures.ChildAudit(args[1]);
    case "--child-load":
        return Figures.ChildLoad(args[1]);
    case "--child-import":
        return Figures.ChildImport();
    default:
        BenchmarkSwitcher.FromAssembly(typeof(FileLoadBenchmarks).Assembly).Run(args);
        return 0;
}

internal static class Figures
{
    internal static string StagedManifest => typeof(Figures).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "StagedModuleManifest").Value!;

    public static async Task RunAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "kubesecurity-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);

        // 1. Peak working set loading the 50,000-object dump, each format in a fresh process.
        foreach ((string name, Func<string> generate) in new (string, Func<string>)[] { ("dump.yaml", ClusterDumpGenerator.MultiDocumentYaml), ("list.yaml", ClusterDumpGenerator.ListYaml) })
        {
            string file = Path.Combine(directory, name);
            await File.WriteAllTextAsync(file, generate());
            Console.WriteLine($"memory  {name} ({new FileInfo(file).Length / 1048576.0:N1} MiB): {RunChild("--child-load", file).Trim()}");
        }

        // 2. Cold Import-Module of the staged module, fresh process each time.
        var imports = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            imports.Add(RunChild("--child-import").Trim());
        }

        Console.WriteLine("import  " + string.Join(" | ", imports));

        // 3. Live: 10,000 pods, 20 ms per request; requests and wall time, ours vs kubectl (warm discovery cache).
        await using LiveCluster cluster = await LiveCluster.StartAsync();
        cluster.RunKubectl();
        for (int round = 0; round < 3; round++)
        {
            cluster.Server.ResetRequestLog();
            var watch = Stopwatch.StartNew();
            KubeSnapshot snapshot = await cluster.CollectAsync();
            watch.Stop();
            int ours = cluster.Server.RequestCount;
            cluster.Server.ResetRequestLog();
            var kubectlWatch = Stopwatch.StartNew();
            cluster.RunKubectl();
            kubectlWatch.Stop();
            Console.WriteLine($"live    round {round + 1}: KubeSecurity {watch.Elapsed.TotalMilliseconds:N0} ms, {ours} requests, {snapshot.ObjectCount:N0} objects | kubectl {kubectlWatch.Elapsed.TotalMilliseconds:N0} ms, {cluster.Server.RequestCount} requests");
        }
    }

    internal static string RunChild(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        string entry = Assembly.GetEntryAssembly()!.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(entry);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : $"failed ({process.ExitCode}): {error}";
    }

    public static int ChildLoad(string file)
    {
        long before = Process.GetCurrentProcess().PeakWorkingSet64;
        var watch = Stopwatch.StartNew();
        ManifestReadResult result = new ManifestReader().ReadPaths(new[] { file });
        KubeSnapshot snapshot = SnapshotAssembler.Build(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, result.Objects, null, null, false, result.Sources, out _);
        watch.Stop();
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{snapshot.ObjectCount:N0} objects ({result.Problems.Count} problems) in {watch.Elapsed.TotalSeconds:N2} s; peak working set {self.PeakWorkingSet64 / 1048576.0:N0} MiB (process before load {before / 1048576.0:N0} MiB); managed heap after {GC.GetTotalMemory(false) / 1048576.0:N0} MiB"));
        GC.KeepAlive(snapshot);
        return 0;
    }

    public static int ChildImport()
    {
        var total = Stopwatch.StartNew();
        using PowerShell shell = PowerShell.Create(InitialSessionState.CreateDefault2());
        shell.AddScript("$null").Invoke();
        double engineMs = total.Elapsed.TotalMilliseconds;
        shell.Commands.Clear();
        var import = Stopwatch.StartNew();
        shell.AddCommand("Import-Module").AddParameter("Name", StagedManifest).Invoke();
        import.Stop();
        shell.Commands.Clear();
        var first = Stopwatch.StartNew();
        shell.AddScript("$null = Get-KubeSecurityRule; [KubeSecurity.Model.Severity]::High").Invoke();
        first.Stop();
        if (shell.HadErrors)
        {
            Console.Error.WriteLine(string.Join("; ", shell.Streams.Error));
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Import-Module {import.Elapsed.TotalMilliseconds:N0} ms (first cmdlet {first.Elapsed.TotalMilliseconds:N0} ms; engine start {engineMs:N0} ms)"));
        return 0;
    }
}
