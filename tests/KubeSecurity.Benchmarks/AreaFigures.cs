using System.Diagnostics;
using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// Where an audit's time and allocation go: a cluster file loaded as Get-KubeSnapshot loads it,
/// then each area run in order on one audit context (as the audit runs them), with the time,
/// the bytes allocated, the GC heap left live after it, and its findings.
/// </summary>
internal static class AreaFigures
{
    private static AllocationSampler? sampler;

    public static int Run(string file, bool byType = false, int passes = 1)
    {
        using AllocationSampler? listening = byType ? new AllocationSampler() : null;
        sampler = listening;
        for (int pass = 1; pass <= passes; pass++)
        {
            if (passes > 1)
            {
                Console.WriteLine($"-- pass {pass} of {passes} in this process");
            }

            RunOnce(file);
        }

        return 0;
    }

    private static void RunOnce(string file)
    {
        long allocated = GC.GetTotalAllocatedBytes(true);
        var clock = Stopwatch.StartNew();
        ManifestReadResult read = new ManifestReader().ReadPaths(new[] { file });
        var snapshot = new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, read.Objects);
        Report("load", clock, ref allocated, read.Objects.Count, "objects");

        var options = new AuditOptions { AsOf = new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero) };

        // The certificate area in its steps: the values found, the certificates described, then checked.
        clock.Restart();
        var inventory = new KubeSecurity.Core.Certificates.CertificateInventory();
        inventory.AddSnapshot(snapshot);
        Report("  inventory", clock, ref allocated, 0, "");
        List<CertificateInfo> certificates = inventory.Build(options.AsOf);
        Report("  describe", clock, ref allocated, certificates.Count, "certificates");
        int checkedFindings = KubeSecurity.Core.Certificates.CertificateAnalyzer.Analyze(snapshot, certificates, new KubeSecurity.Core.Certificates.CertificateCheckOptions { AsOf = options.AsOf }).Count;
        Report("  checks", clock, ref allocated, checkedFindings, "findings");
        certificates = null!;
        inventory = null!;

        // The RBAC and secret areas in their steps.
        var policy = KubeSecurity.Core.Rbac.RbacPolicy.Build(snapshot, options.DefaultRbac, CancellationToken.None);
        Report("  rbac policy", clock, ref allocated, 0, "");
        int risky = KubeSecurity.Core.Rbac.RbacRiskAnalyzer.Analyze(policy).Count;
        Report("  risky grants", clock, ref allocated, risky, "findings");
        int placed = KubeSecurity.Core.Rbac.WorkloadIdentityAnalyzer.Placed(snapshot, CancellationToken.None).Count();
        Report("  placements", clock, ref allocated, placed, "pod specs");
        var identities = KubeSecurity.Core.Rbac.WorkloadIdentityAnalyzer.Describe(snapshot, policy,
            () => KubeSecurity.Core.Rbac.RbacEscalationGraph.Build(policy, KubeSecurity.Core.Rbac.EscalationTarget.Parse(null, null), null, CancellationToken.None), CancellationToken.None);
        Report("  identities", clock, ref allocated, KubeSecurity.Core.Rbac.WorkloadIdentityAnalyzer.Findings(identities).Count(), "findings");
        identities = null!;
        int reviewed = KubeSecurity.Core.Secrets.SecretAnalyzer.Analyze(snapshot, policy, new KubeSecurity.Core.Secrets.SecretReviewOptions { AsOf = options.AsOf }).Findings.Count;
        Report("  secret review", clock, ref allocated, reviewed, "findings");
        int leaks = KubeSecurity.Core.Secrets.CredentialLeakScanner.Scan(snapshot, new KubeSecurity.Core.Credentials.CredentialDetector()).Findings.Count;
        Report("  leak scan", clock, ref allocated, leaks, "findings");
        policy = null!;

        var context = new AuditContext(snapshot, options, CancellationToken.None);
        int findings = 0;
        foreach (AuditArea area in AuditAreas.All)
        {
            clock.Restart();
            AreaOutcome outcome = area.Run(context);
            findings += outcome.Findings.Count;
            Report(area.Name, clock, ref allocated, outcome.Findings.Count, "findings");
        }

        // The shared models built above are not the whole audit's: it builds and drops its own.
        context = null!;
        Report("(models dropped)", clock, ref allocated, 0, "");
        clock.Restart();
        AuditResult whole = AuditRunner.Run(snapshot, options);
        Report("whole audit", clock, ref allocated, whole.Findings.Count, "findings");
        GC.KeepAlive(snapshot);
    }

    private static void Report(string step, Stopwatch clock, ref long allocated, int count, string what)
    {
        long now = GC.GetTotalAllocatedBytes(true);
        Console.WriteLine($"{step,-14} {clock.Elapsed.TotalSeconds,6:N2} s  {(now - allocated) / 1048576.0,8:N0} MiB allocated  {GC.GetTotalMemory(true) / 1048576.0,6:N0} MiB live  {count,8:N0} {what}");
        allocated = GC.GetTotalAllocatedBytes(true);
        if (sampler is not null)
        {
            Console.WriteLine($"    {sampler.TakeTop(8)}");
        }
    }
}
