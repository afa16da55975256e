using KubeSecurity.Core.Audit;
using KubeSecurity.Core.Tests.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Audit;

/// <summary>The warm-up audits the demo cluster the engine carries, and starts only for inputs that take a while to read.</summary>
public class AuditWarmUpTests
{
    [Fact]
    public void The_built_in_cluster_is_the_demo_cluster_and_its_audit_finds_what_the_demo_plants()
    {
        KubeSnapshot builtIn = AuditWarmUp.BuiltInCluster();
        KubeSnapshot demo = RbacFixtures.FromYaml(string.Empty, TestPaths.DemoCluster);
        Assert.Equal(demo.Objects.Select(o => o.ToString()).Order(StringComparer.Ordinal), builtIn.Objects.Select(o => o.ToString()).Order(StringComparer.Ordinal));

        AuditResult result = Assert.IsType<AuditResult>(AuditWarmUp.Run());
        Assert.Contains(result.Findings, f => f.RuleId == Rules.RbacRules.ClusterAdminBound);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Small_inputs_do_not_start_it_and_a_large_one_does_on_a_machine_with_a_spare_core()
    {
        string directory = TestPaths.TempDirectory();
        string small = Path.Combine(directory, "small.yaml");
        File.WriteAllText(small, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
        AuditWarmUp.StartForFiles(new[] { small, Path.Combine(directory, "missing.yaml") });
        Assert.False(AuditWarmUp.HasStarted);

        string large = Path.Combine(directory, "large.json");
        using (FileStream file = File.Create(large))
        {
            file.SetLength(16L << 20);
        }

        AuditWarmUp.StartForFiles(new[] { large });
        Assert.Equal(Environment.ProcessorCount > 1, AuditWarmUp.HasStarted);
    }

    [Fact]
    public void A_folder_counts_the_manifests_in_it_and_nothing_else()
    {
        string folder = TestPaths.TempDirectory();
        using (FileStream notes = File.Create(Path.Combine(folder, "notes.bin")))
        {
            notes.SetLength(32L << 20); // not a manifest: the reader would not read it
        }

        Assert.False(AuditWarmUp.LargeEnough(new[] { folder }));
        using (FileStream dump = File.Create(Path.Combine(folder, "cluster.json")))
        {
            dump.SetLength(16L << 20);
        }

        Assert.True(AuditWarmUp.LargeEnough(new[] { folder }));
    }
}
