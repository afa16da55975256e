using System.Diagnostics;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Diagnostics;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// When an audit's memory grows: a cluster file loaded and audited as the cmdlet does, with the
/// working set, the GC heap (garbage included) and the collections sampled every few milliseconds
/// and printed per audit step, so a peak can be put down to the step that reached it.
/// </summary>
internal static class MemoryTimeline
{
    private sealed class StepReporter : IOperationReporter
    {
        public volatile string Step = "load";

        public void Progress(OperationProgress progress) => Step = progress.Status;

        public void Warning(string message) { }

        public void Verbose(string message) { }
    }

    private sealed record Sample(string Step, double Seconds, long WorkingSet, long Heap, long Committed, int Gen0, int Gen1, int Gen2);

    public static int Run(string file)
    {
        var reporter = new StepReporter();
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        bool stop = false;
        var sampling = new Thread(() =>
        {
            using Process self = Process.GetCurrentProcess();
            while (!Volatile.Read(ref stop))
            {
                self.Refresh();
                lock (samples)
                {
                    samples.Add(new Sample(reporter.Step, clock.Elapsed.TotalSeconds, self.WorkingSet64, GC.GetTotalMemory(false),
                        GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)));
                }

                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        sampling.Start();

        ManifestReadResult read = new ManifestReader().ReadPaths(new[] { file });
        var snapshot = new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, read.Objects);
        reporter.Step = "audit";
        AuditResult result = AuditRunner.Run(snapshot, new AuditOptions { AsOf = new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero) }, reporter);
        reporter.Step = "after";
        Thread.Sleep(100);
        Volatile.Write(ref stop, true);
        sampling.Join();

        const double MiB = 1048576.0;
        Console.WriteLine($"{"step",-26} {"until",7} {"max ws",7} {"max heap",9} {"max commit",11}  gen0/1/2 at end");
        foreach (IGrouping<string, Sample> step in samples.GroupBy(s => s.Step))
        {
            Sample last = step.Last();
            Console.WriteLine($"{step.Key,-26} {last.Seconds,6:N2}s {step.Max(s => s.WorkingSet) / MiB,7:N0} {step.Max(s => s.Heap) / MiB,9:N0} {step.Max(s => s.Committed) / MiB,11:N0}  {last.Gen0}/{last.Gen1}/{last.Gen2}");
        }

        Console.WriteLine($"{result.Findings.Count:N0} findings; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / MiB:N0} MiB");
        GC.KeepAlive(snapshot);
        return 0;
    }
}
