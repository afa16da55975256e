using System.Management.Automation;
using KubeSecurity.Core.AttackPaths;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Attack paths that chain the areas: from the Internet (an exposed workload), a workload or an
/// identity, over the pod network, out of a container onto its node, through the service-account
/// tokens there and RBAC, to cluster-admin, root on a node, a namespace's secrets or an identity.
/// The shortest paths as objects, the graph they form as Dot/Mermaid/JSON, or the single changes
/// that cut the most of them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeAttackPath", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeAttackPath.md")]
[OutputType(typeof(AttackPath), typeof(AttackChokePoint), typeof(string))]
public sealed class GetKubeAttackPathCommand : RbacCmdletBase
{
    /// <summary>Where paths start: external (the Internet, the default), a workload (KIND/NAMESPACE/NAME or NAMESPACE/NAME), an identity or a node.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.AttackEndpointCompleter))]
    public string[] From { get; set; } = { "external" };

    /// <summary>What paths end at: cluster-admin (the default), node, Node/NAME, secrets:NAMESPACE, or an identity.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.AttackEndpointCompleter))]
    public string[] To { get; set; } = { AttackGraph.ClusterAdmin };

    /// <summary>The longest path to report, in steps.</summary>
    [Parameter]
    [ValidateRange(1, 30)]
    public int MaxDepth { get; set; } = AttackGraph.DefaultMaxDepth;

    /// <summary>Rank the single changes by how many of the paths found they cut, instead of listing the paths.</summary>
    [Parameter]
    public SwitchParameter ChokePoints { get; set; }

    /// <summary>The paths as one graph: Dot (Graphviz), Mermaid, Json, or BloodHound (an OpenGraph JSON file to upload).</summary>
    [Parameter]
    [ValidateSet("Dot", "Mermaid", "Json", "BloodHound", IgnoreCase = true)]
    public string? As { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds => Core.Audit.AuditAreas.AttackPaths.Kinds;

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        Core.Rbac.RbacPolicy policy = BuildPolicy(snapshot);
        AttackGraph graph = RunEngine((reporter, token) =>
        {
            reporter.Progress(new Core.Diagnostics.OperationProgress("Building the attack graph", "Network model, exposures, escapes and tokens", 10));
            AttackGraph built = AttackGraph.Build(snapshot, policy, null, null, token);
            reporter.Progress(new Core.Diagnostics.OperationProgress("Building the attack graph", "Done", 100, Completed: true));
            return Task.FromResult(built);
        });
        WriteVerbose($"The attack graph of {snapshot} holds {graph.Workloads.Count} workloads, {graph.ExposedWorkloads.Count()} reachable from the Internet, {graph.EscapableWorkloads.Count()} with a container escape, and {graph.EdgeCount} moves.");
        foreach (string caveat in graph.Caveats)
        {
            WriteWarning(caveat);
        }

        var paths = new List<AttackPath>();
        foreach (string from in From)
        {
            foreach (string to in To)
            {
                try
                {
                    paths.AddRange(graph.Find(from, to, MaxDepth));
                }
                catch (ArgumentException ex)
                {
                    WriteError(new ErrorRecord(ex, ErrorIds.InvalidAttackQuery, ErrorCategory.InvalidArgument, $"{from} -> {to}"));
                }
            }
        }

        WriteVerbose($"{paths.Count} path(s) found from {string.Join(", ", From)} to {string.Join(", ", To)} within {MaxDepth} step(s).");
        if (ChokePoints)
        {
            WriteObject(AttackGraph.ChokePoints(paths), enumerateCollection: true);
            return;
        }

        if (As is not null)
        {
            WriteObject(AttackGraphText.Render(paths, As));
            return;
        }

        WriteObject(paths, enumerateCollection: true);
    }
}
