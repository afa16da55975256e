using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.AttackPaths;

/// <summary>What a search looks for, and the moves an identity makes towards it.</summary>
internal sealed class AttackQuery
{
    private readonly Func<string, bool> isTarget;
    private readonly Func<AttackGraph, string, IEnumerable<AttackEdge>> identityMoves;

    private AttackQuery(string text, Func<string, bool> isTarget, Func<AttackGraph, string, IEnumerable<AttackEdge>> identityMoves)
    {
        Text = text;
        this.isTarget = isTarget;
        this.identityMoves = identityMoves;
    }

    public string Text { get; }

    public bool IsTarget(string vertex) => isTarget(vertex);

    public IEnumerable<AttackEdge> IdentityMoves(AttackGraph graph, string identity) => identityMoves(graph, identity);

    public static AttackQuery Parse(string to, RbacPolicy policy)
    {
        if (string.IsNullOrWhiteSpace(to) || to.Equals(AttackGraph.ClusterAdmin, StringComparison.OrdinalIgnoreCase))
        {
            return new AttackQuery(AttackGraph.ClusterAdmin, v => v == AttackGraph.ClusterAdmin, (g, i) => g.AdminMove(i));
        }

        if (to.Equals("node", StringComparison.OrdinalIgnoreCase) || to.StartsWith("Node/", StringComparison.Ordinal))
        {
            bool any = to.Equals("node", StringComparison.OrdinalIgnoreCase);
            return new AttackQuery(any ? "root on a node" : $"root on {to}", v => any ? v.StartsWith("Node/", StringComparison.Ordinal) : v == to || v == AttackGraph.AnyNode, (_, _) => Array.Empty<AttackEdge>());
        }

        if (to.StartsWith("secrets:", StringComparison.OrdinalIgnoreCase))
        {
            string ns = to["secrets:".Length..];
            string target = $"secrets:{ns}";
            var readers = new Dictionary<string, bool>(StringComparer.Ordinal);
            return new AttackQuery($"the secrets of namespace {ns}", v => v == target, (graph, identity) => SecretMoves(graph, policy, identity, ns, target, readers));
        }

        if (to.Contains(':', StringComparison.Ordinal) && RbacSubject.TryParse(to, out RbacSubject? subject))
        {
            string target = subject!.ToString();
            // Cluster-admin can act as anyone (impersonate, or mint a token).
            return new AttackQuery(target, v => v == target, (graph, identity) => graph.AdminMove(identity).Select(e => e with { To = target }));
        }

        throw new ArgumentException($"'{to}' is not a target: use cluster-admin, node, Node/NAME, secrets:NAMESPACE, or an identity (ServiceAccount:NS/NAME, User:NAME, Group:NAME).");
    }

    private static IEnumerable<AttackEdge> SecretMoves(AttackGraph graph, RbacPolicy policy, string identity, string ns, string target, Dictionary<string, bool> readers)
    {
        if (!readers.TryGetValue(identity, out bool reads))
        {
            reads = RbacSubject.TryParse(identity, out RbacSubject? subject)
                && policy.Authorize(RbacIdentity.For(subject!), new RbacRequest("list", string.Empty, "secrets", null, ns)).Allowed;
            readers[identity] = reads;
        }

        if (reads)
        {
            yield return new AttackEdge(identity, target, AttackTechniques.ReadSecrets, $"{identity} lists the secrets of namespace {ns}", new[] { $"RBAC allows {identity} to list secrets in {ns}" },
                "KSEC-RBAC-003", $"remove the grant that lets {identity} read secrets in {ns}", identity, null);
            yield break;
        }

        foreach (AttackEdge admin in graph.AdminMove(identity))
        {
            yield return admin with { To = target };
        }
    }
}
