using KubeSecurity.Core.Network;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.AttackPaths;

/// <summary>
/// The audit's view of the attack graph: one finding per entry and class of path that reaches a
/// target (Internet to cluster-admin, Internet to node root, escape to cluster-admin through a
/// neighbour's token), on the workload the path starts from, with the shortest path as evidence.
/// </summary>
public static class AttackPathAnalyzer
{
    public static List<Finding> Analyze(KubeSnapshot snapshot, RbacPolicy policy, NetworkModel? network = null, CancellationToken cancellationToken = default) =>
        Findings(AttackGraph.Build(snapshot, policy, network, null, cancellationToken), cancellationToken);

    public static List<Finding> Findings(AttackGraph graph, CancellationToken cancellationToken = default)
    {
        var findings = new List<Finding>();
        foreach (AttackPath path in graph.Find(AttackGraph.Internet, AttackGraph.ClusterAdmin, AttackGraph.DefaultMaxDepth, cancellationToken))
        {
            findings.Add(Of(AttackPathRules.ExposedToClusterAdmin, path, $"{path.Steps[0].To} is reachable from the Internet and leads to cluster-admin in {path.Length} step(s): {path.Chain}."));
        }

        foreach (AttackPath path in graph.Find(AttackGraph.Internet, "node", AttackGraph.DefaultMaxDepth, cancellationToken))
        {
            findings.Add(Of(AttackPathRules.ExposedToNodeRoot, path, $"{path.Steps[0].To} is reachable from the Internet and leads to root on {path.Steps[^1].To} in {path.Length} step(s): {path.Chain}."));
        }

        foreach (string workload in graph.EscapableWorkloads.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A workload whose own token already leads there is KSEC-RBAC-024's finding.
            if (graph.TokenOf(workload) is string own && graph.AdminChain(own) is not null)
            {
                continue;
            }

            if (graph.EscapeToClusterAdmin(workload) is AttackPath path)
            {
                findings.Add(Of(AttackPathRules.EscapeToClusterAdmin, path, $"{workload} can escape to {path.Steps[0].To} and take the token of {path.Steps[1].To}, which leads to cluster-admin: {path.Chain}."));
            }
        }

        return findings;
    }

    private static Finding Of(string rule, AttackPath path, string message)
    {
        string entry = rule == AttackPathRules.EscapeToClusterAdmin ? path.Source : path.Steps[0].To;
        var evidence = new Dictionary<string, string>
        {
            ["Path"] = path.Chain,
            ["Steps"] = path.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Techniques"] = string.Join(", ", path.Steps.Select(s => s.TechniqueId).Distinct(StringComparer.Ordinal)),
        };
        if (path.Caveats.Count > 0)
        {
            evidence["Caveats"] = string.Join("; ", path.Caveats);
            message += $" Assumes: {string.Join("; ", path.Caveats)}.";
        }

        return RuleCatalog.CreateFinding(rule, ToResource(entry), message, evidence);
    }

    /// <summary>A workload vertex (KIND/NAMESPACE/NAME, or KIND/NAME) as a resource.</summary>
    public static ResourceRef ToResource(string vertex)
    {
        string[] parts = vertex.Split('/');
        return parts.Length == 3 ? new ResourceRef(parts[0], parts[1], parts[2]) : parts.Length == 2 ? new ResourceRef(parts[0], null, parts[1]) : new ResourceRef("Workload", null, vertex);
    }
}
