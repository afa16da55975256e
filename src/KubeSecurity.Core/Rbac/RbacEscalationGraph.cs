using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// The ways identities can become other identities (or reach the target directly), as a graph
/// searched once backwards from the target, so the shortest chain of every subject is known
/// after one pass. Namespaces are hub nodes ("may run a pod in NS"), which keeps the graph linear
/// in the number of grants rather than in identity pairs.
/// </summary>
public sealed class RbacEscalationGraph
{
    private const string TargetNode = "@target";
    private const string AdminNode = "@cluster-admin";

    private readonly RbacPolicy policy;
    private readonly EscalationTarget target;
    private readonly Dictionary<string, List<Edge>> edges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RbacIdentity> identities = new(StringComparer.Ordinal);
    private readonly HashSet<(string From, string To, string Technique)> edgeKeys = new();
    private Dictionary<string, (int Distance, Edge? Next)> best = new(StringComparer.Ordinal);

    private sealed record Edge(string From, string To, int Weight, string Technique, string Description, string Grant, string ToLabel);

    private RbacEscalationGraph(RbacPolicy policy, EscalationTarget target)
    {
        this.policy = policy;
        this.target = target;
    }

    public static RbacEscalationGraph Build(RbacPolicy policy, EscalationTarget target, Diagnostics.IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        reporter ??= Diagnostics.NullReporter.Instance;
        var graph = new RbacEscalationGraph(policy, target);
        graph.CollectIdentities();
        const string Activity = "Finding RBAC escalation paths";
        int done = 0;
        int total = graph.identities.Count;
        foreach (RbacIdentity identity in graph.identities.Values.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            graph.AddEdgesOf(identity);
            if (++done % 500 == 0)
            {
                reporter.Progress(new Diagnostics.OperationProgress(Activity, $"What {identity.Subject} can become ({done} of {total} identities)", done * 100 / total));
            }
        }

        graph.AddHubEdges();
        graph.Search();
        reporter.Progress(new Diagnostics.OperationProgress(Activity, "Done", 100, Completed: true));
        reporter.Verbose($"The escalation graph holds {total} identities and {graph.edges.Values.Sum(e => e.Count)} moves; {graph.best.Count - 1} nodes reach {target.Text}.");
        return graph;
    }

    /// <summary>The identities the graph holds: every bound subject, every known service account, aws-auth identities.</summary>
    public IEnumerable<RbacSubject> Subjects => identities.Values.Select(i => i.Subject);

    private static string Node(RbacSubject subject) => subject.ToString();

    private void CollectIdentities()
    {
        void Add(RbacIdentity identity) => identities[Node(identity.Subject)] = identity;
        foreach (RbacBinding binding in policy.Bindings)
        {
            foreach (RbacSubject subject in binding.Subjects)
            {
                if (!identities.ContainsKey(Node(subject)))
                {
                    Add(RbacIdentity.For(subject));
                }
            }
        }

        foreach (RbacSubject account in policy.AllServiceAccounts())
        {
            if (!identities.ContainsKey(Node(account)))
            {
                Add(RbacIdentity.For(account));
            }
        }

        foreach (RbacIdentity mapped in policy.AwsAuthIdentities())
        {
            Add(mapped);
        }
    }

    /// <summary>The identity of a subject, with aws-auth groups when it is a mapped user.</summary>
    public RbacIdentity IdentityOf(RbacSubject subject) =>
        identities.TryGetValue(Node(subject), out RbacIdentity? known) ? known : RbacIdentity.For(subject);

    private void AddEdge(string from, string to, int weight, string technique, string description, string grant, string toLabel)
    {
        if (!edges.TryGetValue(from, out List<Edge>? list))
        {
            edges[from] = list = new List<Edge>();
        }

        if (edgeKeys.Add((from, to, technique)))
        {
            list.Add(new Edge(from, to, weight, technique, description, grant, toLabel));
        }
    }

    /// <summary>Where a capability holds: every namespace, or some.</summary>
    private sealed class Reach
    {
        public bool Everywhere;
        public string? EverywhereGrant;
        public Dictionary<string, string> Namespaces { get; } = new(StringComparer.Ordinal);

        public void Add(RbacGrant grant)
        {
            if (grant.Binding.IsClusterWide)
            {
                Everywhere = true;
                EverywhereGrant ??= grant.Describe();
            }
            else
            {
                Namespaces.TryAdd(grant.Binding.Namespace!, grant.Describe());
            }
        }

        public string? GrantIn(string ns) => Everywhere ? EverywhereGrant : Namespaces.GetValueOrDefault(ns);

        public IEnumerable<string> In(IEnumerable<string> all) => Everywhere ? all : Namespaces.Keys;
    }

    private static Reach ReachOf(List<RbacGrant> grants, params RbacRequest[] requests)
    {
        var reach = new Reach();
        foreach (RbacGrant grant in grants)
        {
            if (AllowsAny(grant.Rule, requests))
            {
                reach.Add(grant);
            }
        }

        return reach;
    }

    /// <summary>The grants behind a move, each once (one rule often provides several of them).</summary>
    private static string Grants(params string?[] grants) => string.Join("; ", grants.Where(g => !string.IsNullOrEmpty(g)).Distinct(StringComparer.Ordinal));

    private static string? ClusterWide(List<RbacGrant> grants, params RbacRequest[] requests)
    {
        foreach (RbacGrant grant in grants)
        {
            if (grant.Binding.IsClusterWide && AllowsAny(grant.Rule, requests))
            {
                return grant.Describe();
            }
        }

        return null;
    }

    private static bool AllowsAny(RbacRule rule, RbacRequest[] requests)
    {
        foreach (RbacRequest request in requests)
        {
            if (rule.Allows(request))
            {
                return true;
            }
        }

        return false;
    }

    // The requests every identity is tested against, built once rather than per identity.
    private const string Rbac = "rbac.authorization.k8s.io";
    private const string Admission = "admissionregistration.k8s.io";
    private const string Certificates = "certificates.k8s.io";
    private static readonly RbacRequest[] PodExec = { RbacRequest.ForResource("create", "pods/exec"), RbacRequest.ForResource("get", "pods/exec") };
    private static readonly RbacRequest[] SecretReading = { RbacRequest.ForResource("get", "secrets"), RbacRequest.ForResource("list", "secrets"), RbacRequest.ForResource("watch", "secrets") };
    private static readonly RbacRequest[] SecretCreation = { RbacRequest.ForResource("create", "secrets") };
    private static readonly RbacRequest[] ClusterRoleEscalation = { RbacRequest.ForResource("escalate", "clusterroles", Rbac) };
    private static readonly RbacRequest[] ClusterRoleEditing = { RbacRequest.ForResource("update", "clusterroles", Rbac), RbacRequest.ForResource("patch", "clusterroles", Rbac) };
    private static readonly RbacRequest[] ClusterAdminBinding = { RbacRequest.ForResource("bind", "clusterroles", Rbac, name: "cluster-admin") };
    private static readonly RbacRequest[] ClusterRoleBindingCreation = { RbacRequest.ForResource("create", "clusterrolebindings", Rbac) };
    private static readonly RbacRequest[] RoleEscalation = { RbacRequest.ForResource("escalate", "roles", Rbac), RbacRequest.ForResource("escalate", "clusterroles", Rbac) };
    private static readonly RbacRequest[] RoleEditing = { RbacRequest.ForResource("update", "roles", Rbac), RbacRequest.ForResource("patch", "roles", Rbac) };
    private static readonly RbacRequest[] AdminRoleBinding = { RbacRequest.ForResource("bind", "clusterroles", Rbac, name: "cluster-admin"), RbacRequest.ForResource("bind", "clusterroles", Rbac, name: "admin") };
    private static readonly RbacRequest[] RoleBindingCreation = { RbacRequest.ForResource("create", "rolebindings", Rbac) };
    private static readonly RbacRequest[] NodeProxy = { RbacRequest.ForResource("get", "nodes/proxy"), RbacRequest.ForResource("create", "nodes/proxy") };
    private static readonly RbacRequest[] MutatingWebhookWriting = { RbacRequest.ForResource("create", "mutatingwebhookconfigurations", Admission), RbacRequest.ForResource("update", "mutatingwebhookconfigurations", Admission),
        RbacRequest.ForResource("patch", "mutatingwebhookconfigurations", Admission) };
    private static readonly RbacRequest[] CsrCreation = { RbacRequest.ForResource("create", "certificatesigningrequests", Certificates) };
    private static readonly RbacRequest[] CsrApproval = { RbacRequest.ForResource("update", "certificatesigningrequests/approval", Certificates), RbacRequest.ForResource("patch", "certificatesigningrequests/approval", Certificates) };
    private static readonly RbacRequest[] ClientSignerApproval = { RbacRequest.ForResource("approve", "signers", Certificates, name: "kubernetes.io/kube-apiserver-client"),
        RbacRequest.ForResource("approve", "signers", Certificates, name: "kubernetes.io/*") };

    private static readonly RbacRequest[] PodCreation =
    {
        RbacRequest.ForResource("create", "pods"), RbacRequest.ForResource("create", "deployments", "apps"), RbacRequest.ForResource("create", "daemonsets", "apps"),
        RbacRequest.ForResource("create", "statefulsets", "apps"), RbacRequest.ForResource("create", "replicasets", "apps"), RbacRequest.ForResource("create", "jobs", "batch"),
        RbacRequest.ForResource("create", "cronjobs", "batch"), RbacRequest.ForResource("create", "replicationcontrollers"),
        RbacRequest.ForResource("update", "deployments", "apps"), RbacRequest.ForResource("patch", "deployments", "apps"),
        RbacRequest.ForResource("update", "daemonsets", "apps"), RbacRequest.ForResource("patch", "daemonsets", "apps"),
        RbacRequest.ForResource("update", "statefulsets", "apps"), RbacRequest.ForResource("patch", "statefulsets", "apps"),
    };

    private void AddEdgesOf(RbacIdentity identity)
    {
        string me = Node(identity.Subject);
        List<RbacGrant> grants = policy.GrantsOf(identity);
        if (identity.IsMaster)
        {
            AddEdge(me, AdminNode, 1, "Holds", "Is a member of system:masters, which bypasses RBAC", identity.Via ?? "group system:masters", EscalationTarget.ClusterAdmin);
        }

        foreach (RbacGrant grant in grants.Where(g => g.Binding.IsClusterWide && RiskyPermission.IsFullControl(g.Rule)))
        {
            AddEdge(me, AdminNode, 1, "Holds", "Already holds every verb on every resource cluster-wide", grant.Describe(), EscalationTarget.ClusterAdmin);
            break;
        }

        if (target.Request is not null)
        {
            RbacGrant? holding = grants.Where(g => g.Rule.Allows(target.Request) && (target.Request.Namespace is null ? g.Binding.IsClusterWide || target.Request.IsResourceRequest && !RbacPolicy.IsClusterScopedResource(target.Request.Resource!) : RbacPolicy.ScopeCovers(g.Binding, target.Request)))
                .Cast<RbacGrant?>().FirstOrDefault();
            if (holding is not null)
            {
                AddEdge(me, TargetNode, 1, "Holds", $"Holds {target.Text}", holding.Value.Describe(), target.Text);
            }
        }

        IReadOnlyList<string> namespaces = policy.Namespaces;

        // Namespace-wide moves go through hubs ("may run a pod in NS"): one edge per namespace, or one
        // to the all-namespaces hub for a cluster-wide grant, instead of one per service account.
        LinkHub(me, "pods", ReachOf(grants, PodCreation));
        LinkHub(me, "exec", ReachOf(grants, PodExec));
        Reach readSecrets = ReachOf(grants, SecretReading);
        LinkHub(me, "readsecrets", readSecrets);
        Reach createSecrets = ReachOf(grants, SecretCreation);
        var mint = new Reach();
        if (createSecrets.Everywhere && readSecrets.Everywhere)
        {
            mint.Everywhere = true;
            mint.EverywhereGrant = Grants(createSecrets.EverywhereGrant, readSecrets.EverywhereGrant);
        }
        else
        {
            foreach (string ns in createSecrets.In(namespaces))
            {
                if (readSecrets.GrantIn(ns) is string read)
                {
                    mint.Namespaces[ns] = Grants(createSecrets.GrantIn(ns), read);
                }
            }
        }

        LinkHub(me, "mintsecrets", mint);

        // Tokens through the TokenRequest API: any account of the namespace, or only the named ones.
        var tokens = new Reach();
        foreach (RbacGrant grant in grants.Where(g => g.Rule.Allows(RbacRequest.ForResource("create", "serviceaccounts/token", name: g.Rule.ResourceNames.Count > 0 ? g.Rule.ResourceNames[0] : null))))
        {
            if (grant.Rule.ResourceNames.Count == 0)
            {
                tokens.Add(grant);
                continue;
            }

            foreach (string ns in grant.Binding.IsClusterWide ? namespaces : new[] { grant.Binding.Namespace! })
            {
                foreach (string account in policy.ServiceAccountsIn(ns).Where(a => grant.Rule.ResourceNameMatches(a)))
                {
                    AddEdge(me, Node(RbacSubject.ServiceAccount(ns, account)), 1, "CreateToken", $"Request a token for ServiceAccount {ns}/{account} (serviceaccounts/token)", grant.Describe(), $"ServiceAccount:{ns}/{account}");
                }
            }
        }

        LinkHub(me, "tokens", tokens);

        AddImpersonation(me, grants, namespaces);
        AddRbacEditing(me, grants, namespaces);
        AddClusterTakeovers(me, grants);
    }

    private void LinkHub(string me, string hub, Reach reach)
    {
        if (reach.Everywhere)
        {
            AddEdge(me, hub + ":*", 0, hub, string.Empty, reach.EverywhereGrant!, "all namespaces");
            return;
        }

        foreach ((string ns, string grant) in reach.Namespaces)
        {
            AddEdge(me, $"{hub}:{ns}", 0, hub, string.Empty, grant, ns);
        }
    }

    private static readonly RbacRequest ImpersonateMasters = RbacRequest.ForResource("impersonate", "groups", name: RbacIdentity.Masters);
    private static readonly RbacRequest ImpersonateUsers = RbacRequest.ForResource("impersonate", "users");
    private static readonly RbacRequest ImpersonateGroups = RbacRequest.ForResource("impersonate", "groups");
    private static readonly RbacRequest ImpersonateServiceAccounts = RbacRequest.ForResource("impersonate", "serviceaccounts");

    private void AddImpersonation(string me, List<RbacGrant> grants, IReadOnlyList<string> namespaces)
    {
        // Only rules that can impersonate at all are worth the per-identity checks below.
        grants = grants.Where(g => g.Rule.VerbMatches("impersonate")).ToList();
        foreach (RbacGrant grant in grants.Where(g => g.Binding.IsClusterWide))
        {
            RbacRule rule = grant.Rule;
            if (rule.Allows(ImpersonateMasters))
            {
                AddEdge(me, AdminNode, 1, "ImpersonateMasters", "Impersonate the group system:masters (--as-group system:masters)", grant.Describe(), EscalationTarget.ClusterAdmin);
            }

            bool users = rule.AllowsSomeName(ImpersonateUsers);
            bool groups = rule.AllowsSomeName(ImpersonateGroups);
            if (!users && !groups)
            {
                continue;
            }

            foreach (RbacIdentity other in identities.Values)
            {
                RbacSubject s = other.Subject;
                if (s.Kind == RbacSubject.GroupKind && s.Name == RbacIdentity.Masters)
                {
                    continue; // the one-step ImpersonateMasters move above says it better
                }

                bool can = s.Kind switch
                {
                    RbacSubject.UserKind => users && rule.ResourceNameMatches(s.Name),
                    RbacSubject.GroupKind => groups && rule.ResourceNameMatches(s.Name),
                    _ => false,
                };
                if (can && Node(s) != me)
                {
                    AddEdge(me, Node(s), 1, "Impersonate", $"Impersonate {s}", grant.Describe(), s.ToString());
                }
            }
        }

        foreach (RbacGrant grant in grants)
        {
            if (!grant.Rule.AllowsSomeName(ImpersonateServiceAccounts))
            {
                continue;
            }

            foreach (string ns in grant.Binding.IsClusterWide ? namespaces : new[] { grant.Binding.Namespace! })
            {
                foreach (string account in policy.ServiceAccountsIn(ns))
                {
                    if (grant.Rule.ResourceNameMatches(account))
                    {
                        AddEdge(me, Node(RbacSubject.ServiceAccount(ns, account)), 1, "Impersonate", $"Impersonate ServiceAccount {ns}/{account}", grant.Describe(), $"ServiceAccount:{ns}/{account}");
                    }
                }
            }
        }
    }

    private void AddRbacEditing(string me, List<RbacGrant> grants, IReadOnlyList<string> namespaces)
    {
        string? escalate = ClusterWide(grants, ClusterRoleEscalation);
        string? editRoles = ClusterWide(grants, ClusterRoleEditing);
        string? bindAdmin = ClusterWide(grants, ClusterAdminBinding);
        string? createBindings = ClusterWide(grants, ClusterRoleBindingCreation);
        if (escalate is not null && editRoles is not null)
        {
            AddEdge(me, AdminNode, 1, "EscalateRole", "Add every permission to a ClusterRole it is bound to (escalate bypasses the escalation check)", Grants(escalate, editRoles), EscalationTarget.ClusterAdmin);
        }

        if (bindAdmin is not null && createBindings is not null)
        {
            AddEdge(me, AdminNode, 1, "BindRole", "Create a ClusterRoleBinding of cluster-admin to itself (bind bypasses the escalation check)", Grants(bindAdmin, createBindings), EscalationTarget.ClusterAdmin);
        }

        Reach nsEscalate = ReachOf(grants, RoleEscalation);
        Reach nsEdit = ReachOf(grants, RoleEditing);
        Reach nsBind = ReachOf(grants, AdminRoleBinding);
        Reach nsCreateBinding = ReachOf(grants, RoleBindingCreation);
        foreach (string ns in namespaces)
        {
            string? how = nsEscalate.GrantIn(ns) is string e && nsEdit.GrantIn(ns) is string u ? Grants(e, u)
                : nsBind.GrantIn(ns) is string b && nsCreateBinding.GrantIn(ns) is string c ? Grants(b, c) : null;
            if (how is not null)
            {
                AddEdge(me, "nsadmin:" + ns, 1, "BindNamespaceAdmin", $"Grant itself every permission in namespace {ns} (escalate or bind)", how, $"admin of namespace {ns}");
            }
        }
    }

    private void AddClusterTakeovers(string me, List<RbacGrant> grants)
    {
        if (ClusterWide(grants, NodeProxy) is string proxy)
        {
            AddEdge(me, AdminNode, 1, "NodeProxy", "Run commands in any pod, control-plane pods included, through the kubelet API (nodes/proxy)", proxy, EscalationTarget.ClusterAdmin);
        }

        if (ClusterWide(grants, MutatingWebhookWriting) is string webhook)
        {
            AddEdge(me, AdminNode, 1, "MutatingWebhook", "Register a mutating webhook that rewrites every new pod, control-plane workloads included", webhook, EscalationTarget.ClusterAdmin);
        }

        string? create = ClusterWide(grants, CsrCreation);
        string? approve = ClusterWide(grants, CsrApproval);
        string? signer = ClusterWide(grants, ClientSignerApproval);
        if (create is not null && approve is not null && signer is not null)
        {
            AddEdge(me, AdminNode, 1, "ApproveOwnCsr", "Request a client certificate for O=system:masters and approve it", Grants(create, approve, signer), EscalationTarget.ClusterAdmin);
        }
    }

    private void AddHubEdges()
    {
        string[] hubs = { "pods", "exec", "readsecrets", "mintsecrets", "tokens" };
        foreach (string ns in policy.Namespaces)
        {
            foreach (string hub in hubs)
            {
                AddEdge(hub + ":*", $"{hub}:{ns}", 0, hub, string.Empty, string.Empty, ns);
            }

            AddEdge("nsadmin:" + ns, "pods:" + ns, 0, "pods", string.Empty, $"admin of namespace {ns}", ns);
            AddEdge("nsadmin:" + ns, "tokens:" + ns, 0, "tokens", string.Empty, $"admin of namespace {ns}", ns);
            foreach (string account in policy.ServiceAccountsIn(ns))
            {
                string to = Node(RbacSubject.ServiceAccount(ns, account));
                string label = $"ServiceAccount:{ns}/{account}";
                AddEdge("pods:" + ns, to, 1, "RunPodAs", $"Create a pod in {ns} that runs as ServiceAccount {ns}/{account} and use its token", string.Empty, label);
                AddEdge("tokens:" + ns, to, 1, "CreateToken", $"Request a token for ServiceAccount {ns}/{account} (serviceaccounts/token)", string.Empty, label);
                IReadOnlyList<string> running = policy.PodsUsing(RbacSubject.ServiceAccount(ns, account));
                if (running.Count > 0)
                {
                    AddEdge("exec:" + ns, to, 1, "ExecIntoPod", $"Exec into pod {running[0]} and use the token of ServiceAccount {ns}/{account}", string.Empty, label);
                }

                IReadOnlyList<string> tokenSecrets = policy.TokenSecretsOf(ns, account);
                if (tokenSecrets.Count > 0)
                {
                    AddEdge("readsecrets:" + ns, to, 1, "ReadTokenSecret", $"Read the token in Secret {ns}/{tokenSecrets[0]} of ServiceAccount {ns}/{account}", string.Empty, label);
                }
                else
                {
                    AddEdge("mintsecrets:" + ns, to, 1, "MintTokenSecret", $"Create a service-account-token Secret for ServiceAccount {ns}/{account} and read the token the controller writes into it", string.Empty, label);
                }
            }
        }

        if (target.Request is not null)
        {
            AddEdge(AdminNode, TargetNode, 0, "Holds", string.Empty, string.Empty, target.Text);
        }
    }

    /// <summary>0-1 breadth-first search backwards from the target: every node's distance and next edge on a shortest chain.</summary>
    private void Search()
    {
        var reverse = new Dictionary<string, List<Edge>>(StringComparer.Ordinal);
        foreach (Edge edge in edges.Values.SelectMany(e => e))
        {
            if (!reverse.TryGetValue(edge.To, out List<Edge>? list))
            {
                reverse[edge.To] = list = new List<Edge>();
            }

            list.Add(edge);
        }

        string goal = target.IsClusterAdmin ? AdminNode : TargetNode;
        best = new Dictionary<string, (int, Edge?)>(StringComparer.Ordinal) { [goal] = (0, null) };
        var queue = new LinkedList<string>();
        queue.AddFirst(goal);
        while (queue.Count > 0)
        {
            string node = queue.First!.Value;
            queue.RemoveFirst();
            int distance = best[node].Distance;
            if (!reverse.TryGetValue(node, out List<Edge>? incoming))
            {
                continue;
            }

            foreach (Edge edge in incoming)
            {
                int candidate = distance + edge.Weight;
                if (!best.TryGetValue(edge.From, out var known) || candidate < known.Distance)
                {
                    best[edge.From] = (candidate, edge);
                    if (edge.Weight == 0)
                    {
                        queue.AddFirst(edge.From);
                    }
                    else
                    {
                        queue.AddLast(edge.From);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The chains of one subject within <paramref name="maxDepth"/> steps: the shortest one, or with
    /// <paramref name="alternatives"/> the shortest through each kind of first move (one per
    /// technique, so a subject that can impersonate everyone does not list everyone). A subject
    /// that already holds the target has no chain unless <paramref name="includeDirect"/>.
    /// </summary>
    public List<RbacEscalationPath> PathsOf(RbacSubject subject, int maxDepth, bool alternatives, bool includeDirect)
    {
        string start = Node(subject);
        var paths = new List<RbacEscalationPath>();
        if (!best.TryGetValue(start, out var mine) || mine.Distance > maxDepth)
        {
            return paths;
        }

        List<RbacEscalationStep> shortest = Render(mine.Next!);
        bool holds = shortest.Count == 1 && shortest[0].Technique == "Holds";
        if (holds && !includeDirect)
        {
            return paths;
        }

        paths.Add(new RbacEscalationPath(subject, target.Text, shortest));
        if (!alternatives || holds || !edges.TryGetValue(start, out List<Edge>? outgoing))
        {
            return paths;
        }

        var techniques = new HashSet<string>(StringComparer.Ordinal) { shortest[0].Technique };
        foreach (Edge first in outgoing.Where(e => best.TryGetValue(e.To, out var rest) && rest.Distance + e.Weight <= maxDepth).OrderBy(e => best[e.To].Distance + e.Weight))
        {
            List<RbacEscalationStep> steps = Render(first);
            if (steps.Count > 0 && techniques.Add(steps[0].Technique))
            {
                paths.Add(new RbacEscalationPath(subject, target.Text, steps));
            }
        }

        return paths;
    }

    private List<RbacEscalationStep> Render(Edge first)
    {
        var steps = new List<RbacEscalationStep>();
        string from = first.From;
        string pendingGrant = string.Empty;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (Edge? edge = first; edge is not null && visited.Add(edge.From + ">" + edge.To); edge = best.TryGetValue(edge.To, out var next) ? next.Next : null)
        {
            if (edge.Weight == 0)
            {
                pendingGrant = pendingGrant.Length == 0 ? edge.Grant : pendingGrant;
                continue;
            }

            string grant = Grants(pendingGrant, edge.Grant);
            steps.Add(new RbacEscalationStep(steps.Count + 1, edge.Technique, from, edge.ToLabel, edge.Description, grant));
            from = edge.ToLabel;
            pendingGrant = string.Empty;
        }

        return steps;
    }
}
