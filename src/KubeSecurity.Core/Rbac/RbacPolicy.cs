using System.Text.Json;
using KubeSecurity.Model;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// The RBAC objects of one snapshot, indexed for the questions people ask: what may this subject
/// do, who may do this, and why. Decisions follow the Kubernetes RBAC authorizer: grants are only
/// additive; a RoleBinding grants only in its namespace and only to namespaced requests; a binding
/// to a missing role grants nothing; <c>system:masters</c> bypasses RBAC.
/// </summary>
public sealed class RbacPolicy
{
    private readonly Dictionary<string, RbacRole> rolesByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RbacBinding>> bindingsByRole = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(RbacBinding Binding, RbacSubject Subject)>> bindingsByUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(RbacBinding Binding, RbacSubject Subject)>> bindingsByGroup = new(StringComparer.Ordinal);
    private readonly HashSet<string> serviceAccounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> podsByServiceAccount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> tokenSecretsByServiceAccount = new(StringComparer.Ordinal);
    private Dictionary<string, List<string>> accountsByNamespace = new(StringComparer.Ordinal);

    // Cluster-scoped built-in resources: RoleBindings never grant access to them.
    private static readonly HashSet<string> ClusterScopedResources = new(StringComparer.Ordinal)
    {
        "nodes", "namespaces", "persistentvolumes", "clusterroles", "clusterrolebindings", "certificatesigningrequests",
        "validatingwebhookconfigurations", "mutatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicybindings",
        "customresourcedefinitions", "apiservices", "storageclasses", "csidrivers", "csinodes", "volumeattachments", "priorityclasses",
        "runtimeclasses", "ingressclasses", "podsecuritypolicies", "tokenreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews",
        "subjectaccessreviews", "componentstatuses", "signers", "users", "groups", "uids", "userextras", "flowschemas", "prioritylevelconfigurations",
        "ipaddresses", "servicecidrs", "deviceclasses", "clustertrustbundles",
    };

    private RbacPolicy()
    {
    }

    public IReadOnlyList<RbacRole> Roles { get; private set; } = Array.Empty<RbacRole>();
    public IReadOnlyList<RbacBinding> Bindings { get; private set; } = Array.Empty<RbacBinding>();
    public IReadOnlyList<RbacProblem> Problems { get; private set; } = Array.Empty<RbacProblem>();
    public IReadOnlyList<AwsAuthMapping> AwsAuth { get; private set; } = Array.Empty<AwsAuthMapping>();

    /// <summary>Namespaces the snapshot knows (Namespace objects and namespaces objects live in).</summary>
    public IReadOnlyList<string> Namespaces { get; private set; } = Array.Empty<string>();

    /// <summary>The default-policy choice the policy was built with.</summary>
    public DefaultRbacChoice DefaultRbac { get; private set; } = DefaultRbacChoice.Auto;

    /// <summary>How many default ClusterRoles were assumed because the input lacks them (0: none).</summary>
    public int AssumedRoleCount { get; private set; }

    /// <summary>How many default ClusterRoleBindings were assumed because the input lacks them.</summary>
    public int AssumedBindingCount { get; private set; }

    /// <summary>What the policy assumed from the default RBAC policy, in a sentence for -Verbose.</summary>
    public string AssumptionNote() =>
        AssumedRoleCount + AssumedBindingCount > 0
            ? $"The input lacks the cluster's default RBAC objects: assumed {AssumedRoleCount} ClusterRole(s) and {AssumedBindingCount} ClusterRoleBinding(s) from {DefaultRbacPolicy.Source} (-DefaultRbac {DefaultRbac}); answers that rely on one say so (AssumedDefault on a permission, AssumedRole in a finding's evidence). Use -DefaultRbac None to leave them out."
            : DefaultRbac.Mode == DefaultRbacMode.None
                ? "Default RBAC objects are not assumed (-DefaultRbac None): bindings to default roles the input lacks grant nothing here."
                : "The input holds the cluster's default RBAC objects: nothing is assumed.";

    /// <summary>Whether the snapshot holds ServiceAccounts at all: without them a missing one cannot be told from an unread one.</summary>
    public bool KnowsServiceAccounts { get; private set; }

    public static bool IsBootstrapped(KubeObject o) =>
        o.Labels.TryGetValue("kubernetes.io/bootstrapping", out string? value) && value == "rbac-defaults";

    public static bool IsClusterScopedResource(string resource) => ClusterScopedResources.Contains(resource);

    public static RbacPolicy Build(KubeSnapshot snapshot, CancellationToken cancellationToken = default) =>
        Build(snapshot, DefaultRbacChoice.Auto, cancellationToken);

    /// <param name="defaults">Whether the default (bootstrap) roles and bindings are assumed where the input lacks them.</param>
    public static RbacPolicy Build(KubeSnapshot snapshot, DefaultRbacChoice defaults, CancellationToken cancellationToken = default)
    {
        var policy = new RbacPolicy();
        var problems = new List<RbacProblem>();
        var roles = new List<RbacRole>();
        foreach (KubeObject o in snapshot.OfKind("ClusterRole").Concat(snapshot.OfKind("Role")))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (o.ApiGroup != "rbac.authorization.k8s.io")
            {
                continue;
            }

            RbacRole? role = RbacPolicyReader.ReadRole(o, problems);
            if (role is not null && policy.rolesByKey.TryAdd(role.Key, role))
            {
                roles.Add(role);
            }
        }

        bool assumeDefaults = DefaultRbacPolicy.AppliesTo(snapshot, defaults);
        policy.DefaultRbac = defaults;
        if (assumeDefaults)
        {
            // Offline input: the roles every API server has, where the input does not define its own.
            foreach (KubeObject o in DefaultRbacPolicy.ClusterRoles)
            {
                RbacRole? role = RbacPolicyReader.ReadRole(o, problems);
                if (role is not null && policy.rolesByKey.TryAdd(role.Key, role))
                {
                    role.IsAssumedDefault = true;
                    roles.Add(role);
                    policy.AssumedRoleCount++;
                }
            }
        }

        RbacPolicyReader.ResolveAggregation(roles.Where(r => r.Kind == "ClusterRole").ToList(), problems);

        var bindings = new List<RbacBinding>();
        var bindingNames = new HashSet<string>(snapshot.OfKind("ClusterRoleBinding").Select(o => o.Name), StringComparer.Ordinal);
        var assumedBindings = new HashSet<KubeObject>(ReferenceEqualityComparer.Instance);
        if (assumeDefaults)
        {
            assumedBindings.UnionWith(DefaultRbacPolicy.ClusterRoleBindings.Where(o => !bindingNames.Contains(o.Name)));
        }

        foreach (KubeObject o in snapshot.OfKind("ClusterRoleBinding").Concat(snapshot.OfKind("RoleBinding")).Concat(assumedBindings))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (o.ApiGroup != "rbac.authorization.k8s.io")
            {
                continue;
            }

            RbacBinding? binding = RbacPolicyReader.ReadBinding(o, problems);
            if (binding is null)
            {
                continue;
            }

            if (assumedBindings.Contains(o))
            {
                binding.IsAssumedDefault = true;
                policy.AssumedBindingCount++;
            }

            binding.Role = policy.rolesByKey.GetValueOrDefault(binding.RoleKey);
            bindings.Add(binding);
            Add(policy.bindingsByRole, binding.RoleKey, binding);
            foreach (RbacSubject subject in binding.Subjects)
            {
                if (subject.Kind == RbacSubject.GroupKind)
                {
                    Add(policy.bindingsByGroup, subject.Name, (binding, subject));
                }
                else
                {
                    Add(policy.bindingsByUser, subject.UserName, (binding, subject));
                }
            }
        }

        policy.AwsAuth = AwsAuthMapping.Read(snapshot, problems);
        policy.IndexWorkloadIdentities(snapshot);
        policy.Roles = roles;
        policy.Bindings = bindings;
        policy.Problems = problems;
        policy.rulesByResource = policy.IndexRulesByResource();
        return policy;
    }

    private static void Add<T>(Dictionary<string, List<T>> index, string key, T value)
    {
        if (!index.TryGetValue(key, out List<T>? list))
        {
            index[key] = list = new List<T>();
        }

        list.Add(value);
    }

    private void IndexWorkloadIdentities(KubeSnapshot snapshot)
    {
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        foreach (KubeObject ns in snapshot.OfKind("Namespace"))
        {
            namespaces.Add(ns.Name);
            serviceAccounts.Add($"{ns.Name}/default"); // created in every namespace by the controller
        }

        KnowsServiceAccounts = snapshot.HasKind("ServiceAccount");
        foreach (KubeObject sa in snapshot.OfKind("ServiceAccount"))
        {
            serviceAccounts.Add($"{sa.Namespace}/{sa.Name}");
            namespaces.Add(sa.Namespace ?? string.Empty);
        }

        foreach (KubeObject pod in snapshot.OfKind("Pod"))
        {
            if (pod.Namespace is null || !IsRunning(pod))
            {
                continue;
            }

            namespaces.Add(pod.Namespace);
            string account = PodServiceAccount(pod.Json) ?? "default";
            Add(podsByServiceAccount, $"{pod.Namespace}/{account}", $"{pod.Namespace}/{pod.Name}");
        }

        foreach (KubeObject secret in snapshot.OfKind("Secret"))
        {
            if (secret.Namespace is not null && Snapshots.JsonRead.String(secret.Outline, "type") == "kubernetes.io/service-account-token"
                && secret.Annotations.TryGetValue("kubernetes.io/service-account.name", out string? account))
            {
                Add(tokenSecretsByServiceAccount, $"{secret.Namespace}/{account}", secret.Name);
            }
        }

        namespaces.Remove(string.Empty);
        Namespaces = namespaces.ToList();
        accountsByNamespace = serviceAccounts.Concat(podsByServiceAccount.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(k => k.Split('/', 2)).GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p[1]).ToList(), StringComparer.Ordinal);
    }

    private static bool IsRunning(KubeObject pod)
    {
        // Manifests have no status: a pod written down is a pod meant to run.
        string? phase = pod.Json.TryGet("status"u8, out JsonElement status) ? Snapshots.JsonRead.String(status, "phase") : null;
        return phase is null or "Running" or "Pending" or "Unknown";
    }

    internal static string? PodServiceAccount(JsonElement pod)
    {
        if (!pod.TryGet("spec"u8, out JsonElement spec))
        {
            return null;
        }

        return Snapshots.JsonRead.String(spec, "serviceAccountName") ?? Snapshots.JsonRead.String(spec, "serviceAccount");
    }

    public RbacRole? FindRole(string kind, string? ns, string name) => rolesByKey.GetValueOrDefault(RbacRole.RoleKey(kind, ns, name));

    public IReadOnlyList<RbacBinding> BindingsOf(RbacRole role) => bindingsByRole.TryGetValue(role.Key, out List<RbacBinding>? list) ? list : Array.Empty<RbacBinding>();

    /// <summary>Null when the snapshot cannot tell (no ServiceAccounts collected).</summary>
    public bool? ServiceAccountExists(string ns, string name) =>
        serviceAccounts.Contains($"{ns}/{name}") ? true : KnowsServiceAccounts ? false : null;

    /// <summary>The service accounts of a namespace: declared, the implicit default, and any a pod runs as.</summary>
    public IReadOnlyList<string> ServiceAccountsIn(string ns) =>
        accountsByNamespace.TryGetValue(ns, out List<string>? accounts) ? accounts : Array.Empty<string>();

    /// <summary>Every service account the snapshot knows of, declared or used by a pod.</summary>
    public IEnumerable<RbacSubject> AllServiceAccounts() =>
        serviceAccounts.Concat(podsByServiceAccount.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(k => k.Split('/', 2)).Select(p => RbacSubject.ServiceAccount(p[0], p[1]));

    /// <summary>Running pods that run as the service account (<c>namespace/pod</c>).</summary>
    public IReadOnlyList<string> PodsUsing(RbacSubject subject) =>
        subject.Kind == RbacSubject.ServiceAccountKind && podsByServiceAccount.TryGetValue($"{subject.Namespace}/{subject.Name}", out List<string>? pods) ? pods : Array.Empty<string>();

    /// <summary>Long-lived token Secrets of the service account (legacy <c>kubernetes.io/service-account-token</c>).</summary>
    public IReadOnlyList<string> TokenSecretsOf(string ns, string name) =>
        tokenSecretsByServiceAccount.TryGetValue($"{ns}/{name}", out List<string>? secrets) ? secrets : Array.Empty<string>();

    /// <summary>Every rule reaching the identity, through its user name and every group it is in.</summary>
    public List<RbacGrant> GrantsOf(RbacIdentity identity)
    {
        // Sized first: identities are many and a list grown by doubling left most of its arrays behind.
        int count = 0;
        foreach (List<(RbacBinding Binding, RbacSubject Subject)> entries in EntriesNaming(identity))
        {
            foreach ((RbacBinding binding, _) in entries)
            {
                count += binding.Role?.Rules.Count ?? 0;
            }
        }

        var grants = new List<RbacGrant>(count);
        foreach (List<(RbacBinding Binding, RbacSubject Subject)> entries in EntriesNaming(identity))
        {
            foreach ((RbacBinding binding, RbacSubject subject) in entries)
            {
                if (binding.Role is null)
                {
                    continue;
                }

                foreach (RbacRule rule in binding.Role.Rules)
                {
                    grants.Add(new RbacGrant(rule, binding, subject));
                }
            }
        }

        return grants;
    }

    /// <summary>Whether any grant of the identity passes a test, without listing them.</summary>
    internal bool AnyGrant(RbacIdentity identity, Func<RbacGrant, bool> test)
    {
        foreach (List<(RbacBinding Binding, RbacSubject Subject)> entries in EntriesNaming(identity))
        {
            foreach ((RbacBinding binding, RbacSubject subject) in entries)
            {
                foreach (RbacRule rule in binding.Role?.Rules ?? Array.Empty<RbacRule>())
                {
                    if (test(new RbacGrant(rule, binding, subject)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The binding entries of the identity's user and of each of its groups.</summary>
    private IEnumerable<List<(RbacBinding Binding, RbacSubject Subject)>> EntriesNaming(RbacIdentity identity)
    {
        if (identity.UserName is not null && bindingsByUser.GetValueOrDefault(identity.UserName) is { } byUser)
        {
            yield return byUser;
        }

        foreach (string group in identity.Groups)
        {
            if (bindingsByGroup.GetValueOrDefault(group) is { } byGroup)
            {
                yield return byGroup;
            }
        }
    }

    /// <summary>Every binding naming the identity's user or one of its groups, including those whose role is missing.</summary>
    private IEnumerable<RbacBinding> BindingsNaming(RbacIdentity identity) =>
        EntriesNaming(identity).SelectMany(entries => entries).Select(e => e.Binding).Distinct();

    /// <summary>The bindings naming the subject directly (not through groups).</summary>
    public IReadOnlyList<RbacBinding> DirectBindingsOf(RbacSubject subject)
    {
        List<(RbacBinding Binding, RbacSubject Subject)>? list = subject.Kind == RbacSubject.GroupKind
            ? bindingsByGroup.GetValueOrDefault(subject.Name)
            : bindingsByUser.GetValueOrDefault(subject.UserName);
        return list is null ? Array.Empty<RbacBinding>() : list.Select(e => e.Binding).Distinct().ToList();
    }

    /// <summary>Whether a grant applies to a request: RoleBindings only in their namespace, and never to cluster-scoped or non-resource requests.</summary>
    public static bool ScopeCovers(RbacBinding binding, RbacRequest request) =>
        binding.IsClusterWide || (request.IsResourceRequest && request.Namespace is not null && request.Namespace == binding.Namespace);

    /// <summary>Decides one request as the authorizer would, listing every grant that allows it.</summary>
    public RbacAccessResult Authorize(RbacIdentity identity, RbacRequest request)
    {
        if (identity.IsMaster)
        {
            return Result(identity, request, true, "member of system:masters: RBAC is bypassed, everything is allowed", Array.Empty<RbacPermission>());
        }

        var allowing = new List<RbacPermission>();
        foreach (RbacGrant grant in GrantsOf(identity))
        {
            if (ScopeCovers(grant.Binding, request) && grant.Rule.Allows(request))
            {
                allowing.Add(ToPermission(identity.Subject, grant, identity.Subject == grant.BoundSubject ? identity.Via : $"as {grant.BoundSubject}"));
            }
        }

        string reason = allowing.Count > 0
            ? $"allowed by {allowing[0].Binding} -> {allowing[0].Role}: {allowing[0].Rule}{(allowing.Count > 1 ? $" (and {allowing.Count - 1} more)" : string.Empty)}"
            : DenialReason(identity, request);
        return Result(identity, request, allowing.Count > 0, reason, allowing);
    }

    private string DenialReason(RbacIdentity identity, RbacRequest request)
    {
        List<RbacGrant> grants = GrantsOf(identity);
        List<RbacBinding> dangling = BindingsNaming(identity).Where(b => b.Role is null).ToList();
        string missingRoles = dangling.Count == 0 ? string.Empty
            : $"; {string.Join(", ", dangling.Take(3).Select(b => $"{b.Ref} names {b.RoleRef}, which does not exist, so it grants nothing"))}";
        if (grants.Count == 0)
        {
            return "no binding grants this subject (or its groups) anything" + missingRoles;
        }

        if (grants.Any(g => g.Rule.Allows(request)))
        {
            return request.Namespace is null
                ? "only RoleBindings grant it, and they never cover cluster-scoped requests"
                : $"only RoleBindings in other namespaces grant it, not in {request.Namespace}";
        }

        if (request.Name is null && grants.Any(g => ScopeCovers(g.Binding, request) && g.Rule.ResourceNames.Count > 0 && g.Rule.Allows(request with { Name = g.Rule.ResourceNames[0] })))
        {
            return "rules grant it only for named objects (resourceNames), and the request names none";
        }

        return $"no rule among the {grants.Count} this subject holds allows it{missingRoles}";
    }

    private static RbacAccessResult Result(RbacIdentity identity, RbacRequest request, bool allowed, string reason, IReadOnlyList<RbacPermission> grants) =>
        new(identity.Subject, request.Verb, request.IsResourceRequest ? request.ApiGroup : null, request.Resource, request.Subresource,
            request.Namespace, request.Name, request.NonResourceUrl, allowed, reason, grants);

    public RbacPermission ToPermission(RbacSubject subject, RbacGrant grant, string? via) =>
        new(subject, grant.Rule.Verbs, grant.Rule.ApiGroups, grant.Rule.Resources, grant.Rule.ResourceNames, grant.Rule.NonResourceUrls,
            grant.Scope, grant.Binding.Ref, grant.Binding.RoleRef, via)
        { Pods = PodsUsing(subject), AssumedDefault = grant.Binding.Assumption };

    /// <summary>
    /// Who may make this request (kubectl-who-can): every subject whose binding holds an allowing
    /// rule in scope. With a null namespace and <paramref name="anyNamespace"/>, RoleBindings of
    /// every namespace count (each row says where). Members of system:masters and cloud identities
    /// mapped by aws-auth to a granted user or group are listed too.
    /// </summary>
    public List<RbacPermission> WhoCan(RbacRequest request, bool anyNamespace)
    {
        var rows = new List<RbacPermission>();
        bool clusterScoped = request.IsResourceRequest && IsClusterScopedResource(request.Resource ?? string.Empty);
        foreach ((RbacRole role, RbacRule rule) in CandidateRules(request))
        {
            if (!rule.Allows(request) || !bindingsByRole.TryGetValue(role.Key, out List<RbacBinding>? bindings))
            {
                continue;
            }

            foreach (RbacBinding binding in bindings)
            {
                bool applies = binding.IsClusterWide || (!clusterScoped && request.IsResourceRequest && (request.Namespace is null ? anyNamespace : request.Namespace == binding.Namespace));
                if (!applies)
                {
                    continue;
                }

                foreach (RbacSubject subject in binding.Subjects)
                {
                    var grant = new RbacGrant(rule, binding, subject);
                    rows.Add(ToPermission(subject, grant, null));
                    foreach (AwsAuthMapping mapping in AwsAuth)
                    {
                        if (subject.Kind == RbacSubject.GroupKind ? mapping.Groups.Contains(subject.Name) : mapping.UserName == subject.UserName)
                        {
                            rows.Add(ToPermission(RbacSubject.User(mapping.CloudIdentity), grant, $"{mapping.Describe()} as {subject}"));
                        }
                    }
                }
            }
        }

        rows.Add(new RbacPermission(RbacSubject.Group(RbacIdentity.Masters), new[] { "*" }, new[] { "*" }, new[] { "*" }, Array.Empty<string>(), Array.Empty<string>(),
            null, null, null, "system:masters bypasses RBAC"));
        foreach (AwsAuthMapping mapping in AwsAuth.Where(m => m.Groups.Contains(RbacIdentity.Masters)))
        {
            rows.Add(new RbacPermission(RbacSubject.User(mapping.CloudIdentity), new[] { "*" }, new[] { "*" }, new[] { "*" }, Array.Empty<string>(), Array.Empty<string>(),
                null, null, null, $"{mapping.Describe()} maps to system:masters"));
        }

        return rows;
    }

    private Dictionary<string, List<(RbacRole, RbacRule)>> rulesByResource = new(StringComparer.Ordinal);

    /// <summary>
    /// The rules that could allow the request: those naming its resource (or a <c>*/sub</c> form,
    /// or <c>*</c>), or for a non-resource request those with URLs, from the index built with the policy.
    /// </summary>
    private IEnumerable<(RbacRole Role, RbacRule Rule)> CandidateRules(RbacRequest request)
    {
        if (!request.IsResourceRequest)
        {
            return rulesByResource.GetValueOrDefault("\u0000url") ?? Enumerable.Empty<(RbacRole, RbacRule)>();
        }

        IEnumerable<(RbacRole, RbacRule)> result = rulesByResource.GetValueOrDefault("*") ?? Enumerable.Empty<(RbacRole, RbacRule)>();
        result = result.Concat(rulesByResource.GetValueOrDefault(request.CombinedResource) ?? Enumerable.Empty<(RbacRole, RbacRule)>());
        if (!string.IsNullOrEmpty(request.Subresource))
        {
            result = result.Concat(rulesByResource.GetValueOrDefault("*/" + request.Subresource) ?? Enumerable.Empty<(RbacRole, RbacRule)>());
        }

        return result;
    }

    private Dictionary<string, List<(RbacRole, RbacRule)>> IndexRulesByResource()
    {
        var index = new Dictionary<string, List<(RbacRole, RbacRule)>>(StringComparer.Ordinal);
        foreach (RbacRole role in Roles)
        {
            foreach (RbacRule rule in role.Rules)
            {
                IEnumerable<string> keys = rule.NonResourceUrls.Count > 0 ? new[] { "\u0000url" } : rule.Resources.Distinct(StringComparer.Ordinal);
                foreach (string key in keys)
                {
                    Add(index, key, (role, rule));
                }
            }
        }

        return index;
    }

    /// <summary>Effective permission rows of one identity: every grant through its name and its groups.</summary>
    public List<RbacPermission> PermissionsOf(RbacIdentity identity)
    {
        var rows = new List<RbacPermission>();
        if (identity.IsMaster)
        {
            rows.Add(new RbacPermission(identity.Subject, new[] { "*" }, new[] { "*" }, new[] { "*" }, Array.Empty<string>(), Array.Empty<string>(),
                null, null, null, "member of system:masters: RBAC is bypassed") { Pods = PodsUsing(identity.Subject) });
        }

        foreach (RbacGrant grant in GrantsOf(identity))
        {
            rows.Add(ToPermission(identity.Subject, grant, grant.BoundSubject == identity.Subject ? identity.Via : $"as {grant.BoundSubject}"));
        }

        return rows;
    }

    /// <summary>Every binding subject with the rows its bindings give it directly (the cluster-wide table).</summary>
    public IEnumerable<RbacPermission> AllPermissions()
    {
        foreach (RbacBinding binding in Bindings)
        {
            if (binding.Role is null)
            {
                continue;
            }

            foreach (RbacSubject subject in binding.Subjects)
            {
                foreach (RbacRule rule in binding.Role.Rules)
                {
                    yield return ToPermission(subject, new RbacGrant(rule, binding, subject), null);
                }
            }
        }
    }

    /// <summary>The identities aws-auth defines, ready for the authorizer.</summary>
    public IEnumerable<RbacIdentity> AwsAuthIdentities() =>
        AwsAuth.Select(m => RbacIdentity.For(RbacSubject.User(m.UserName), m.Groups, m.Describe()));
}
