using System.Text.Json;
using KubeSecurity.Core.Selectors;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// Reads Roles, ClusterRoles and bindings from a snapshot the way the API server would have
/// accepted them: invalid rules and bindings become <see cref="RbacProblem"/>s and grant nothing,
/// and aggregated ClusterRoles get the rules of the roles their selectors match.
/// </summary>
internal static class RbacPolicyReader
{
    private const string RbacGroup = "rbac.authorization.k8s.io";

    // Verbs the API server and its built-in authorizer checks use. Others are allowed by the API
    // (aggregated APIs define their own) but are usually typos, so they are reported.
    private static readonly HashSet<string> KnownVerbs = new(StringComparer.Ordinal)
    {
        "*", "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "proxy",
        "use", "bind", "escalate", "impersonate", "approve", "sign", "attest", "post", "put", "head", "options",
    };

    public static RbacRole? ReadRole(KubeObject role, List<RbacProblem> problems)
    {
        var rules = new List<RbacRule>();
        JsonElement json = role.Json;
        if (json.TryGet("rules"u8, out JsonElement rulesJson) && rulesJson.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            problems.Add(new RbacProblem(role.ToResourceRef(), $"'rules' must be a list, not {rulesJson.ValueKind}; the role grants nothing."));
        }
        else if (rulesJson.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement ruleJson in rulesJson.EnumerateArray())
            {
                RbacRule? rule = ReadRule(role, ruleJson, index++, problems);
                if (rule is not null)
                {
                    rules.Add(rule);
                }
            }
        }

        bool aggregates = role.Kind == "ClusterRole" && json.TryGet("aggregationRule"u8, out JsonElement aggregation) && aggregation.ValueKind == JsonValueKind.Object;
        return new RbacRole(role, rules, aggregates);
    }

    private static RbacRule? ReadRule(KubeObject role, JsonElement rule, int index, List<RbacProblem> problems)
    {
        string where = $"rule {index + 1}";
        if (rule.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new RbacProblem(role.ToResourceRef(), $"{where} is {rule.ValueKind}, not a rule object; it is ignored."));
            return null;
        }

        List<string> verbs = JsonRead.Strings(rule, "verbs");
        List<string> groups = JsonRead.Strings(rule, "apiGroups");
        List<string> resources = JsonRead.Strings(rule, "resources");
        List<string> names = JsonRead.Strings(rule, "resourceNames");
        List<string> urls = JsonRead.Strings(rule, "nonResourceURLs");
        string? reject = null;
        if (verbs.Count == 0)
        {
            reject = "has no verbs";
        }
        else if (resources.Count > 0 && urls.Count > 0)
        {
            reject = "names both resources and nonResourceURLs";
        }
        else if (resources.Count == 0 && urls.Count == 0)
        {
            reject = "names neither resources nor nonResourceURLs";
        }
        else if (urls.Count > 0 && role.Kind == "Role")
        {
            reject = "has nonResourceURLs, which only a ClusterRole can grant";
        }
        else if (resources.Count > 0 && groups.Count == 0)
        {
            reject = "names resources but no apiGroups (use \"\" for the core group)";
        }

        if (reject is not null)
        {
            problems.Add(new RbacProblem(role.ToResourceRef(), $"{where} {reject}; the API server would reject it and it grants nothing here."));
            return null;
        }

        foreach (string verb in verbs.Where(v => !KnownVerbs.Contains(v)))
        {
            problems.Add(new RbacProblem(role.ToResourceRef(), $"{where} has the verb '{verb}', which no built-in API checks (a typo?); it is kept as written."));
        }

        return new RbacRule(verbs, groups, resources, names, urls);
    }

    public static RbacBinding? ReadBinding(KubeObject binding, List<RbacProblem> problems)
    {
        JsonElement roleRef = binding.Json.TryGet("roleRef"u8, out JsonElement r) ? r : default;
        string? roleKind = JsonRead.String(roleRef, "kind");
        string? roleName = JsonRead.String(roleRef, "name");
        if (string.IsNullOrEmpty(roleName) || roleKind is not ("Role" or "ClusterRole"))
        {
            problems.Add(new RbacProblem(binding.ToResourceRef(), $"roleRef must name a Role or ClusterRole, not {(roleKind is null ? "nothing" : $"a '{roleKind}'")}{(roleName is null ? string.Empty : $" '{roleName}'")}; the binding grants nothing."));
            return null;
        }

        if (binding.Kind == "ClusterRoleBinding" && roleKind == "Role")
        {
            problems.Add(new RbacProblem(binding.ToResourceRef(), $"a ClusterRoleBinding cannot reference the Role '{roleName}'; the binding grants nothing."));
            return null;
        }

        string? refGroup = JsonRead.String(roleRef, "apiGroup");
        if (refGroup is not null && refGroup != RbacGroup)
        {
            problems.Add(new RbacProblem(binding.ToResourceRef(), $"roleRef.apiGroup is '{refGroup}', not {RbacGroup}; the binding grants nothing."));
            return null;
        }

        var subjects = new List<RbacSubject>();
        if (binding.Json.TryGet("subjects"u8, out JsonElement subjectsJson) && subjectsJson.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement subject in subjectsJson.EnumerateArray())
            {
                index++;
                string? kind = JsonRead.String(subject, "kind");
                string? name = JsonRead.String(subject, "name");
                string? ns = JsonRead.String(subject, "namespace");
                if (string.IsNullOrEmpty(name))
                {
                    problems.Add(new RbacProblem(binding.ToResourceRef(), $"subject {index} has no name; it is ignored."));
                    continue;
                }

                switch (kind)
                {
                    case RbacSubject.UserKind:
                        // A User subject named like a service account is that service account to the authorizer.
                        subjects.Add(RbacSubject.TryParse(name, out RbacSubject? parsed) && parsed!.Kind == RbacSubject.ServiceAccountKind ? parsed : RbacSubject.User(name));
                        break;
                    case RbacSubject.GroupKind:
                        subjects.Add(RbacSubject.Group(name));
                        break;
                    case RbacSubject.ServiceAccountKind:
                        string? saNamespace = string.IsNullOrEmpty(ns) ? binding.Namespace : ns;
                        if (saNamespace is null)
                        {
                            problems.Add(new RbacProblem(binding.ToResourceRef(), $"subject {index} (ServiceAccount '{name}') has no namespace; it matches nobody."));
                            continue;
                        }

                        subjects.Add(RbacSubject.ServiceAccount(saNamespace, name));
                        break;
                    default:
                        problems.Add(new RbacProblem(binding.ToResourceRef(), $"subject {index} ('{name}') has the unknown kind '{kind}'; only User, Group and ServiceAccount grant anything, so it is ignored."));
                        break;
                }
            }
        }

        return new RbacBinding(binding, roleKind, roleName, subjects);
    }

    /// <summary>
    /// Resolves aggregation as the controller converges to it: an aggregated role's rules are the
    /// union of the (resolved) rules of the ClusterRoles its selectors match. A cycle keeps the
    /// rules stored on the roles in it and is reported.
    /// </summary>
    public static void ResolveAggregation(IReadOnlyList<RbacRole> clusterRoles, List<RbacProblem> problems)
    {
        var aggregating = clusterRoles.Where(r => r.Aggregates).ToList();
        if (aggregating.Count == 0)
        {
            return;
        }

        var selectors = new Dictionary<RbacRole, List<LabelSelector>>();
        foreach (RbacRole role in aggregating)
        {
            var list = new List<LabelSelector>();
            JsonElement rule = role.Source.Json.GetProperty("aggregationRule"u8);
            if (rule.TryGet("clusterRoleSelectors"u8, out JsonElement items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in items.EnumerateArray())
                {
                    LabelSelector selector = LabelSelector.Parse(item);
                    if (selector.Problem is not null)
                    {
                        problems.Add(new RbacProblem(role.Ref, $"aggregationRule selector is invalid ({selector.Problem}); it matches no roles."));
                    }

                    list.Add(selector);
                }
            }

            selectors[role] = list;
        }

        var state = new Dictionary<RbacRole, bool>(); // false: resolving, true: done
        foreach (RbacRole role in aggregating)
        {
            Resolve(role, clusterRoles, selectors, state, new List<RbacRole>(), problems);
        }
    }

    private static IReadOnlyList<RbacRule> Resolve(RbacRole role, IReadOnlyList<RbacRole> all, Dictionary<RbacRole, List<LabelSelector>> selectors,
        Dictionary<RbacRole, bool> state, List<RbacRole> stack, List<RbacProblem> problems)
    {
        if (!role.Aggregates || (state.TryGetValue(role, out bool done) && done))
        {
            return role.Rules;
        }

        if (state.ContainsKey(role))
        {
            int start = stack.IndexOf(role);
            string cycle = string.Join(" -> ", stack.Skip(start).Append(role).Select(r => r.Name));
            problems.Add(new RbacProblem(role.Ref, $"aggregation labels form a cycle ({cycle}); the rules stored on '{role.Name}' are used as they are."));
            return role.Rules;
        }

        state[role] = false;
        stack.Add(role);
        var union = new List<RbacRule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (RbacRole candidate in all)
        {
            if (ReferenceEquals(candidate, role) || !selectors[role].Any(s => s.Matches(candidate.Source.Labels)))
            {
                continue;
            }

            candidate.AggregatedInto.Add(role.Name);
            foreach (RbacRule rule in Resolve(candidate, all, selectors, state, stack, problems))
            {
                if (seen.Add(rule.ToString()))
                {
                    union.Add(rule);
                }
            }
        }

        stack.RemoveAt(stack.Count - 1);

        // Rules already stored on the role (a live cluster has them aggregated) stay: the snapshot
        // may be partial, and the stored rules are what the authorizer reads today.
        foreach (RbacRule rule in role.OwnRules)
        {
            if (seen.Add(rule.ToString()))
            {
                union.Add(rule);
            }
        }

        role.Rules = union;
        state[role] = true;
        return union;
    }
}
