using KubeSecurity.Core.Network;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;

namespace KubeSecurity.Core.AttackPaths;

/// <summary>One move between two vertices of the attack graph. An RBAC move may stand for a chain of steps.</summary>
internal sealed record AttackEdge(string From, string To, string TechniqueId, string Description, IReadOnlyList<string> Evidence, string? RuleId, string? Fix, string? FixTarget, string? RepairRuleId)
{
    public IReadOnlyList<RbacEscalationStep>? RbacSteps { get; init; }

    public string? Caveat { get; init; }

    public int Steps => RbacSteps?.Count ?? 1;

    public int Ease => RbacSteps is null ? AttackTechniques.Get(TechniqueId).Ease : 1;
}

/// <summary>
/// The attack graph of a snapshot: the Internet, workloads, nodes, identities and the targets
/// (cluster-admin, root on a node, the secrets of a namespace), joined by the moves of the technique
/// catalogue. Exposure, escape and token moves are built once; moves over the pod network are
/// evaluated when a search reaches a workload, and only towards workloads that lead somewhere (an
/// escape, or a token worth having), so a search costs the workloads it touches, not every pair.
/// RBAC moves come from the escalation graph, one chain per identity.
/// </summary>
public sealed class AttackGraph
{
    public const string Internet = "Internet";
    public const string ClusterAdmin = "cluster-admin";
    public const string AnyNode = "Node/*";

    /// <summary>Paths longer than this are not followed unless asked.</summary>
    public const int DefaultMaxDepth = 8;

    private readonly Dictionary<string, List<AttackEdge>> edges = new(StringComparer.Ordinal);
    private readonly HashSet<(string From, string To, string Technique)> edgeKeys = new();
    private readonly Dictionary<string, PodClass> classes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<EscapePrimitive>> escapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> tokenOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> placement = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PortSet> listening = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AttackEdge>> lateral = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<RbacEscalationStep>?> adminChains = new(StringComparer.Ordinal);
    private readonly Lazy<RbacEscalationGraph> adminGraph;
    private readonly RbacPolicy policy;
    private readonly NetworkModel network;

    private AttackGraph(RbacPolicy policy, NetworkModel network, Lazy<RbacEscalationGraph> adminGraph)
    {
        this.policy = policy;
        this.network = network;
        this.adminGraph = adminGraph;
    }

    /// <summary>The workloads (their top-level controllers, or bare pods), by name.</summary>
    public IReadOnlyCollection<string> Workloads => placement.Keys;

    /// <summary>Workloads reachable from the Internet.</summary>
    public IEnumerable<string> ExposedWorkloads => Out(Internet).Select(e => e.To).Distinct(StringComparer.Ordinal);

    /// <summary>Workloads with a way out of their containers.</summary>
    public IEnumerable<string> EscapableWorkloads => escapes.Where(e => e.Value.Count > 0).Select(e => e.Key);

    /// <summary>What the graph assumes that the snapshot cannot show.</summary>
    public List<string> Caveats { get; } = new();

    public int EdgeCount => edges.Values.Sum(e => e.Count);

    public static AttackGraph Build(KubeSnapshot snapshot, RbacPolicy policy, NetworkModel? network = null, RbacEscalationGraph? escalation = null, CancellationToken cancellationToken = default)
    {
        network ??= NetworkModel.Build(snapshot, null, cancellationToken);
        var graph = new AttackGraph(policy, network, new Lazy<RbacEscalationGraph>(() => escalation ?? RbacEscalationGraph.Build(policy, EscalationTarget.Parse(null, null), null, cancellationToken)));
        foreach (PodClass pods in network.Classes)
        {
            foreach (ResourceRef workload in pods.Workloads)
            {
                graph.classes.TryAdd(workload.ToString(), pods);
            }
        }

        List<string> allNodes = snapshot.OfKind("Node").Select(n => "Node/" + n.Name).ToList();
        var sitesByWorkload = new Dictionary<string, List<PodSpecSite>>(StringComparer.Ordinal);
        var placements = WorkloadIdentityAnalyzer.Placed(snapshot, cancellationToken).ToList();
        foreach (PodSpecSite site in placements.Select(p => p.Site))
        {
            string key = site.Owner.ToResourceRef().ToString();
            if (!sitesByWorkload.TryGetValue(key, out List<PodSpecSite>? list))
            {
                sitesByWorkload[key] = list = new List<PodSpecSite>();
            }

            list.Add(site);
            PortSet declared = graph.listening.GetValueOrDefault(key) ?? PortSet.None;
            foreach ((System.Text.Json.JsonElement container, _, _) in site.Containers())
            {
                foreach (System.Text.Json.JsonElement port in JsonRead.Array(container, "ports"))
                {
                    if (Exposures.PortOf(JsonRead.Property(port, "containerPort")) is int number)
                    {
                        declared = declared.Union(PortSet.Of(JsonRead.String(port, "protocol") ?? "TCP", number, number));
                    }
                }
            }

            graph.listening[key] = declared;
        }

        // Identities: which account's token each workload carries, and on which nodes its pods run.
        int unplaced = 0;
        foreach ((PodSpecSite site, RbacSubject serviceAccount, bool tokenMounted, string tokenMount, IReadOnlyList<string> nodeNames, _) in placements)
        {
            string workload = site.Owner.ToResourceRef().ToString();
            List<string> nodes = site.Owner.Kind == "DaemonSet" ? allNodes.ToList() : nodeNames.Select(n => "Node/" + n).ToList();
            if (nodes.Count == 0)
            {
                nodes.Add(AnyNode);
                unplaced++;
            }

            graph.placement[workload] = string.Join(",", nodes);
            if (tokenMounted)
            {
                string account = serviceAccount.ToString();
                graph.tokenOf[workload] = account;
                graph.Add(new AttackEdge(workload, account, AttackTechniques.WorkloadToken, $"Use the token of {account} mounted in {workload} ({tokenMount})",
                    new[] { $"{workload} runs as {account}", $"token: {tokenMount}" }, SecretRules.UnneededTokenMount, $"set automountServiceAccountToken: false on {workload}", workload, SecretRules.UnneededTokenMount));
                foreach (string node in nodes.Append(AnyNode).Distinct(StringComparer.Ordinal))
                {
                    graph.Add(new AttackEdge(node, account, AttackTechniques.NodeTokens, $"Read the token of {account} that the kubelet mounts for {workload}{(node == AnyNode ? string.Empty : $" on {node}")}",
                        new[] { node == AnyNode ? $"{workload} runs on some node (placement not in the input)" : $"{workload} has a pod on {node}" }, null,
                        $"keep {workload} off nodes that run escapable workloads, or stop mounting its token", workload, SecretRules.UnneededTokenMount));
                }
            }
        }

        if (unplaced > 0)
        {
            graph.Caveats.Add($"{unplaced} workload(s) have no running pod with a node in the input: their node is unknown and treated as any node ({AnyNode}).");
        }

        foreach ((string workload, List<PodSpecSite> sites) in sitesByWorkload)
        {
            List<EscapePrimitive> found = sites.SelectMany(EscapePrimitives.Of).ToList();
            graph.escapes[workload] = found;
            if (found.Count == 0)
            {
                continue;
            }

            string[] nodes = graph.placement.TryGetValue(workload, out string? placed) ? placed.Split(',') : new[] { AnyNode };
            foreach (EscapePrimitive primitive in found)
            {
                foreach (string node in nodes)
                {
                    graph.Add(new AttackEdge(workload, node, primitive.TechniqueId, $"Escape from {workload} to {(node == AnyNode ? "its node" : node)}: {primitive.Detail}",
                        new[] { primitive.Detail }, primitive.RuleId, primitive.Fix, workload, primitive.RepairRuleId)
                    {
                        Caveat = node == AnyNode ? $"{workload}'s node is not in the input" : null,
                    });
                }
            }
        }

        foreach (Exposure exposure in Exposures.Find(snapshot, network, w => graph.classes.GetValueOrDefault(w), sitesByWorkload))
        {
            graph.Add(new AttackEdge(Internet, exposure.Workload, exposure.TechniqueId, exposure.Description, exposure.Evidence, null, exposure.Fix, exposure.FixTarget, null) { Caveat = exposure.Caveat });
        }

        if (!snapshot.HasKind("Service") || !snapshot.HasKind("Ingress"))
        {
            graph.Caveats.Add("Services or Ingresses were not collected: exposure to the Internet is incomplete.");
        }

        return graph;
    }

    private void Add(AttackEdge edge)
    {
        if (!edges.TryGetValue(edge.From, out List<AttackEdge>? list))
        {
            edges[edge.From] = list = new List<AttackEdge>();
        }

        // A set, not a scan of the list: the any-node vertex holds an edge per token-mounting workload.
        if (edgeKeys.Add((edge.From, edge.To, edge.TechniqueId)))
        {
            list.Add(edge);
        }
    }

    private IReadOnlyList<AttackEdge> Out(string vertex) => edges.TryGetValue(vertex, out List<AttackEdge>? list) ? list : Array.Empty<AttackEdge>();

    /// <summary>The RBAC chain by which an identity becomes cluster-admin (empty when it is), or null.</summary>
    internal IReadOnlyList<RbacEscalationStep>? AdminChain(string identity)
    {
        if (adminChains.TryGetValue(identity, out IReadOnlyList<RbacEscalationStep>? known))
        {
            return known;
        }

        IReadOnlyList<RbacEscalationStep>? chain = RbacSubject.TryParse(identity, out RbacSubject? subject)
            ? adminGraph.Value.PathsOf(subject!, WorkloadIdentityAnalyzer.MaxChainLength, alternatives: false, includeDirect: true).FirstOrDefault()?.Steps
            : null;
        adminChains[identity] = chain;
        return chain;
    }

    private static bool IsIdentity(string vertex) => vertex.StartsWith("ServiceAccount:", StringComparison.Ordinal) || vertex.StartsWith("User:", StringComparison.Ordinal) || vertex.StartsWith("Group:", StringComparison.Ordinal);

    /// <summary>
    /// Shortest paths (fewest steps, then easiest) from a source to a target. From the Internet, one
    /// path per exposed workload that leads to the target. Targets: cluster-admin, node (root on any
    /// node), secrets:NAMESPACE, or an identity.
    /// </summary>
    public List<AttackPath> Find(string from, string to, int maxDepth = DefaultMaxDepth, CancellationToken cancellationToken = default)
    {
        AttackQuery query = AttackQuery.Parse(to, policy);
        string source = Resolve(from);
        var paths = new List<AttackPath>();
        if (source == Internet)
        {
            foreach (AttackEdge entry in Out(Internet).GroupBy(e => e.To, StringComparer.Ordinal).Select(g => g.OrderBy(e => e.Ease).First()))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Search(entry.To, query, maxDepth - 1) is List<AttackEdge> rest)
                {
                    paths.Add(Render(Internet, query, rest.Prepend(entry).ToList()));
                }
            }
        }
        else if (Search(source, query, maxDepth) is List<AttackEdge> found)
        {
            paths.Add(Render(source, query, found));
        }

        return paths.OrderBy(p => p.Length).ThenBy(p => p.Steps.Sum(s => AttackTechniques.Get(s.TechniqueId).Ease)).ThenBy(p => p.Chain, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The shortest way from a workload to cluster-admin that starts with its escape rather than its
    /// own token: onto its node, then the token of another pod there. Computed directly (escape, node
    /// token, RBAC chain), not by a search, so every escapable workload of a large cluster is cheap.
    /// </summary>
    internal AttackPath? EscapeToClusterAdmin(string workload)
    {
        AttackQuery query = AttackQuery.Parse(ClusterAdmin, policy);
        List<AttackEdge>? best = null;
        int bestCost = int.MaxValue;
        foreach (AttackEdge escape in Out(workload).Where(e => e.To.StartsWith("Node/", StringComparison.Ordinal)))
        {
            // The node's tokens that lead to cluster-admin, cheapest first: the first not of this workload is its best.
            foreach ((AttackEdge token, AttackEdge admin, int cost) in AdminTokensOn(escape.To))
            {
                if (token.FixTarget == workload)
                {
                    continue;
                }

                if (cost + escape.Ease < bestCost)
                {
                    bestCost = cost + escape.Ease;
                    best = new List<AttackEdge> { escape, token, admin };
                }

                break;
            }
        }

        return best is null ? null : Render(workload, query, best);
    }

    private readonly Dictionary<string, List<(AttackEdge Token, AttackEdge Admin, int Cost)>> adminTokens = new(StringComparer.Ordinal);

    private List<(AttackEdge Token, AttackEdge Admin, int Cost)> AdminTokensOn(string node)
    {
        if (!adminTokens.TryGetValue(node, out var found))
        {
            found = Out(node).Where(e => e.TechniqueId == AttackTechniques.NodeTokens)
                .SelectMany(token => AdminMove(token.To).Select(admin => (token, admin, ((1 + 1 + admin.Steps) * 16) + token.Ease + admin.Ease)))
                .OrderBy(t => t.Item3).ToList();
            adminTokens[node] = found;
        }

        return found;
    }

    /// <summary>The account whose token a workload's pods carry, if they carry one.</summary>
    internal string? TokenOf(string workload) => tokenOf.GetValueOrDefault(workload);

    private string Resolve(string from)
    {
        if (from.Equals("external", StringComparison.OrdinalIgnoreCase) || from.Equals(Internet, StringComparison.OrdinalIgnoreCase))
        {
            return Internet;
        }

        if (placement.ContainsKey(from) || classes.ContainsKey(from) || IsIdentity(from) || from.StartsWith("Node/", StringComparison.Ordinal))
        {
            return from;
        }

        // ns/name names a workload of any kind.
        List<string> matches = placement.Keys.Concat(classes.Keys).Distinct(StringComparer.Ordinal).Where(w => w.EndsWith("/" + from, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"'{from}' is not a workload, identity or node of the snapshot: use external, KIND/NAMESPACE/NAME (or NAMESPACE/NAME), ServiceAccount:NS/NAME, User:NAME, Group:NAME or Node/NAME."),
            _ => throw new ArgumentException($"'{from}' names several workloads ({string.Join(", ", matches)}): give the kind too."),
        };
    }

    // Dijkstra by (steps, ease), moves generated as the search reaches each vertex.
    private List<AttackEdge>? Search(string source, AttackQuery query, int maxDepth)
    {
        var best = new Dictionary<string, (int Cost, int Steps, AttackEdge? Via)>(StringComparer.Ordinal) { [source] = (0, 0, null) };
        var queue = new PriorityQueue<string, int>();
        queue.Enqueue(source, 0);
        var useful = new Lazy<HashSet<string>>(() => Useful(query));
        while (queue.TryDequeue(out string? vertex, out int cost))
        {
            (int known, int steps, _) = best[vertex];
            if (cost > known)
            {
                continue;
            }

            if (vertex != source && query.IsTarget(vertex))
            {
                var path = new List<AttackEdge>();
                for (string at = vertex; best[at].Via is AttackEdge via; at = via.From)
                {
                    path.Add(via);
                }

                path.Reverse();
                return path;
            }

            foreach (AttackEdge edge in Moves(vertex, query, useful))
            {
                int nextSteps = steps + edge.Steps;
                if (nextSteps > maxDepth)
                {
                    continue;
                }

                int nextCost = cost + (edge.Steps * 16) + edge.Ease;
                if (!best.TryGetValue(edge.To, out var seen) || nextCost < seen.Cost)
                {
                    best[edge.To] = (nextCost, nextSteps, edge);
                    queue.Enqueue(edge.To, nextCost);
                }
            }
        }

        return null;
    }

    private IEnumerable<AttackEdge> Moves(string vertex, AttackQuery query, Lazy<HashSet<string>> useful)
    {
        foreach (AttackEdge edge in Out(vertex))
        {
            yield return edge;
        }

        // A workload the network model knows (from its pods) moves laterally even when its own spec is not in the input.
        if (classes.ContainsKey(vertex))
        {
            foreach (AttackEdge edge in Lateral(vertex, useful.Value))
            {
                yield return edge;
            }
        }

        if (IsIdentity(vertex))
        {
            foreach (AttackEdge edge in query.IdentityMoves(this, vertex))
            {
                yield return edge;
            }
        }
    }

    /// <summary>Workloads worth moving to: those with an escape, or whose token leads to the target.</summary>
    private HashSet<string> Useful(AttackQuery query)
    {
        var useful = new HashSet<string>(EscapableWorkloads, StringComparer.Ordinal);
        foreach ((string workload, string account) in tokenOf)
        {
            if (query.IsTarget(account) || query.IdentityMoves(this, account).Any())
            {
                useful.Add(workload);
            }
        }

        return useful;
    }

    private IEnumerable<AttackEdge> Lateral(string workload, HashSet<string> useful)
    {
        if (!classes.TryGetValue(workload, out PodClass? from) || from.HostNetwork)
        {
            yield break;
        }

        if (!lateral.TryGetValue(workload, out List<AttackEdge>? moves))
        {
            moves = new List<AttackEdge>();
            foreach (string target in useful)
            {
                if (target == workload || !classes.TryGetValue(target, out PodClass? to))
                {
                    continue;
                }

                // Only ports the destination's containers declare: a workload that listens on nothing declared offers nothing to exploit.
                PortSet declared = listening.GetValueOrDefault(target) ?? PortSet.None;
                PortSet allowed = (to.HostNetwork ? PortSet.All : network.AllowedPorts(NetworkEndpoint.Of(from), NetworkEndpoint.Of(to))).Intersect(declared);
                if (allowed.IsEmpty)
                {
                    continue;
                }

                string ns = target.Split('/') is { Length: 3 } parts ? parts[1] : "?";
                moves.Add(new AttackEdge(workload, target, AttackTechniques.Lateral,
                    $"Connect from {workload} to {target} over the pod network on {allowed}{(to.HostNetwork ? " (host network: NetworkPolicy does not apply)" : string.Empty)}",
                    new[] { to.HostNetwork ? $"{target} uses the host network" : network.IsIngressIsolated(to) ? $"allowed by {string.Join(", ", network.IngressPolicyNames(to))}" : $"{target}'s ingress is not isolated" },
                    NetworkRules.IngressNotIsolated, $"isolate {target}'s ingress (default deny in namespace {ns}, then allow only its clients)", $"Namespace/{ns}", NetworkRules.NamespaceWithoutPolicy));
            }

            lateral[workload] = moves;
        }

        foreach (AttackEdge move in moves)
        {
            yield return move;
        }
    }

    /// <summary>
    /// The subject of a binding through which an identity holds it: the identity itself, or the group
    /// it is in (system:authenticated, system:serviceaccounts[:NS]) that the binding names.
    /// </summary>
    private string BindingSubject(string identity, string binding)
    {
        if (!RbacSubject.TryParse(identity, out RbacSubject? subject))
        {
            return identity;
        }

        RbacIdentity who = RbacIdentity.For(subject!);
        RbacBinding? found = policy.Bindings.FirstOrDefault(b => b.Ref.ToString() == binding);
        RbacSubject? named = found?.Subjects.FirstOrDefault(s => s.Equals(subject)) ?? found?.Subjects.FirstOrDefault(s => s.Kind == RbacSubject.GroupKind && who.Groups.Contains(s.Name));
        return (named ?? subject!).ToString();
    }

    private AttackPath Render(string source, AttackQuery query, List<AttackEdge> edges)
    {
        var steps = new List<AttackStep>();
        foreach (AttackEdge edge in edges)
        {
            if (edge.RbacSteps is { } rbac)
            {
                foreach (RbacEscalationStep step in rbac)
                {
                    // Grants read "RULE in SCOPE via BINDING -> ROLE": the binding is what to change.
                    System.Text.RegularExpressions.Match binding = System.Text.RegularExpressions.Regex.Match(step.Grant, @" via (\S+) -> ");
                    steps.Add(new AttackStep(steps.Count + 1, AttackTechniques.RbacEscalation, $"RBAC: {step.Technique}", step.From, step.To, step.Description, new[] { step.Grant }, null)
                    {
                        Fix = binding.Success ? $"remove {BindingSubject(step.From, binding.Groups[1].Value)} from {binding.Groups[1].Value}" : null,
                    });
                }

                continue;
            }

            steps.Add(new AttackStep(steps.Count + 1, edge.TechniqueId, AttackTechniques.Get(edge.TechniqueId).Name, edge.From, edge.To, edge.Description, edge.Evidence, edge.RuleId) { Fix = edge.Fix });
        }

        return new AttackPath(source, query.Text, steps) { Caveats = edges.Select(e => e.Caveat).OfType<string>().Distinct(StringComparer.Ordinal).ToList() };
    }

    /// <summary>The single changes that cut the most of these paths, each counted once per path it cuts.</summary>
    public static List<AttackChokePoint> ChokePoints(IReadOnlyList<AttackPath> paths, int top = 20)
    {
        var cuts = new Dictionary<string, (HashSet<int> Paths, HashSet<string> Techniques, string? Repair)>(StringComparer.Ordinal);
        for (int i = 0; i < paths.Count; i++)
        {
            foreach (AttackStep step in paths[i].Steps)
            {
                if (step.Fix is null)
                {
                    continue;
                }

                if (!cuts.TryGetValue(step.Fix, out var cut))
                {
                    cuts[step.Fix] = cut = (new HashSet<int>(), new HashSet<string>(StringComparer.Ordinal), RepairRuleOf(step));
                }

                cut.Paths.Add(i);
                cut.Techniques.Add(step.TechniqueId);
            }
        }

        return cuts.OrderByDescending(c => c.Value.Paths.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top)
            .Select((c, rank) => new AttackChokePoint(rank + 1, c.Key, TargetOf(c.Key), c.Value.Paths.Count, paths.Count, c.Value.Techniques.Order(StringComparer.Ordinal).ToList(), c.Value.Repair))
            .ToList();
    }

    // The rule whose findings Repair-KubeSecurityFinding fixes with this change (a binding repair for the broad groups and default accounts).
    private static string? RepairRuleOf(AttackStep step) => step.TechniqueId switch
    {
        AttackTechniques.Privileged => WorkloadRules.Privileged,
        AttackTechniques.WorkloadToken or AttackTechniques.NodeTokens => SecretRules.UnneededTokenMount,
        AttackTechniques.Lateral => NetworkRules.NamespaceWithoutPolicy,
        AttackTechniques.RbacEscalation when step.Fix is string fix && fix.StartsWith("remove Group:system:authenticated ", StringComparison.Ordinal) => RbacRules.AllAuthenticatedBinding,
        AttackTechniques.RbacEscalation when step.Fix is string fix && (fix.StartsWith("remove Group:system:unauthenticated ", StringComparison.Ordinal) || fix.StartsWith("remove User:system:anonymous ", StringComparison.Ordinal)) => RbacRules.AnonymousBinding,
        AttackTechniques.RbacEscalation when step.Fix is string fix && System.Text.RegularExpressions.Regex.IsMatch(fix, "^remove ServiceAccount:[^/]+/default ") => RbacRules.DefaultServiceAccountBound,
        _ => null,
    };

    // The object a change names: the last KIND/... or KIND:... word of it.
    private static string TargetOf(string change) =>
        change.Split(' ').AsEnumerable().Reverse().FirstOrDefault(w => w.Contains('/', StringComparison.Ordinal) && !w.StartsWith('(')) ?? change;

    internal IEnumerable<AttackEdge> AdminMove(string identity)
    {
        if (AdminChain(identity) is { } chain)
        {
            yield return chain.Count == 0
                ? new AttackEdge(identity, ClusterAdmin, AttackTechniques.RbacEscalation, $"{identity} is cluster-admin", new[] { "holds every permission" }, null, null, null, null)
                : new AttackEdge(identity, ClusterAdmin, AttackTechniques.RbacEscalation, string.Empty, Array.Empty<string>(), null, null, null, null) { RbacSteps = chain };
        }
    }
}
