using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>What reading an audit log produced: the generated objects, the lines that could not be used, and counts.</summary>
public sealed class AuditLogRoleResult
{
    public List<KubeObject> Objects { get; } = new();
    public List<string> Problems { get; } = new();
    public int Lines { get; set; }
    public int Requests { get; set; }
    public int DeniedRequests { get; set; }
}

/// <summary>
/// Builds the least-privilege Role/ClusterRole and bindings that cover exactly the requests one
/// subject made, from a Kubernetes audit log (JSON lines, audit.k8s.io/v1 Events). Namespaced
/// requests become a Role per namespace; cluster-scoped, all-namespace and non-resource requests a
/// ClusterRole. Each request counts once, however many stages the log recorded for it.
/// </summary>
public static class AuditLogRoleGenerator
{
    private sealed record RuleKey(string? Namespace, string ApiGroup, string Resource, bool NonResource);

    public static AuditLogRoleResult Generate(TextReader log, string source, RbacSubject subject, string roleName, bool includeResourceNames, CancellationToken cancellationToken = default)
    {
        var result = new AuditLogRoleResult();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var verbsByRule = new Dictionary<RuleKey, SortedSet<string>>();
        var namesByRule = new Dictionary<RuleKey, SortedSet<string>>();
        string userName = subject.UserName;
        var counting = new LineCountingReader(log);
        foreach (AuditEvent e in AuditLog.AuditLogReader.Read(counting, source, result.Problems, cancellationToken))
        {
            // Impersonated requests are authorized as the impersonated user; each request counts once.
            if (e.EffectiveUser != userName || (e.AuditId is not null && !seen.Add(e.AuditId)))
            {
                continue;
            }

            result.Requests++;
            if (e.ResponseCode == 403)
            {
                result.DeniedRequests++;
            }

            RuleKey key;
            if (e.Resource is not null)
            {
                key = new RuleKey(e.Namespace, e.ApiGroup ?? string.Empty, e.Subresource is null ? e.Resource : $"{e.Resource}/{e.Subresource}", false);
            }
            else if (e.RequestUri is string uri)
            {
                int query = uri.IndexOf('?', StringComparison.Ordinal);
                key = new RuleKey(null, string.Empty, query >= 0 ? uri[..query] : uri, true);
            }
            else
            {
                result.Problems.Add($"{source}: event {e.AuditId} has neither objectRef nor requestURI; skipped.");
                continue;
            }

            Set(verbsByRule, key).Add(e.Verb);

            // Names restrict only verbs that act on one object; create, list and watch cannot be restricted.
            if (includeResourceNames && !key.NonResource)
            {
                Set(namesByRule, key).Add(e.Name is not null && e.Verb is not ("create" or "list" or "watch" or "deletecollection") ? e.Name : "\0");
            }
        }

        result.Lines = counting.Lines;
        Build(result, subject, roleName, verbsByRule, namesByRule);
        return result;
    }

    /// <summary>Counts the lines read, for the summary.</summary>
    private sealed class LineCountingReader(TextReader inner) : TextReader
    {
        public int Lines { get; private set; }

        public override string? ReadLine()
        {
            string? line = inner.ReadLine();
            if (line is not null)
            {
                Lines++;
            }

            return line;
        }
    }

    private static SortedSet<string> Set(Dictionary<RuleKey, SortedSet<string>> index, RuleKey key)
    {
        if (!index.TryGetValue(key, out SortedSet<string>? set))
        {
            index[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    private static void Build(AuditLogRoleResult result, RbacSubject subject, string roleName,
        Dictionary<RuleKey, SortedSet<string>> verbsByRule, Dictionary<RuleKey, SortedSet<string>> namesByRule)
    {
        foreach (IGrouping<string?, KeyValuePair<RuleKey, SortedSet<string>>> scope in verbsByRule.GroupBy(k => k.Key.Namespace).OrderBy(g => g.Key is not null).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var rules = new JsonArray();
            // One rule per API group and verb set (and names), listing every resource that shares them.
            var merged = scope
                .Select(k =>
                {
                    SortedSet<string>? names = namesByRule.GetValueOrDefault(k.Key);
                    bool named = names is not null && !names.Contains("\0");
                    return (k.Key, Verbs: string.Join(",", k.Value), Names: named ? string.Join(",", names!) : string.Empty);
                })
                .GroupBy(r => (r.Key.NonResource, r.Key.ApiGroup, r.Verbs, r.Names))
                .OrderBy(g => g.Key.NonResource).ThenBy(g => g.Key.ApiGroup, StringComparer.Ordinal).ThenBy(g => g.Min(r => r.Key.Resource), StringComparer.Ordinal);
            foreach (var rule in merged)
            {
                var node = new JsonObject();
                if (rule.Key.NonResource)
                {
                    node["nonResourceURLs"] = Array(rule.Select(r => r.Key.Resource));
                }
                else
                {
                    node["apiGroups"] = new JsonArray(rule.Key.ApiGroup);
                    node["resources"] = Array(rule.Select(r => r.Key.Resource));
                    if (rule.Key.Names.Length > 0)
                    {
                        node["resourceNames"] = Array(rule.Key.Names.Split(','));
                    }
                }

                node["verbs"] = Array(rule.Key.Verbs.Split(','));
                rules.Add(node);
            }

            bool cluster = scope.Key is null;
            result.Objects.Add(Create(new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = cluster ? "ClusterRole" : "Role",
                ["metadata"] = Metadata(roleName, scope.Key),
                ["rules"] = rules,
            }));
            result.Objects.Add(Create(new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = cluster ? "ClusterRoleBinding" : "RoleBinding",
                ["metadata"] = Metadata(roleName, scope.Key),
                ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = cluster ? "ClusterRole" : "Role", ["name"] = roleName },
                ["subjects"] = new JsonArray(SubjectNode(subject)),
            }));
        }
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonObject Metadata(string name, string? ns)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        metadata["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "KubeSecurity" };
        metadata["annotations"] = new JsonObject { ["kubesecurity.io/generated-from"] = "audit log" };
        return metadata;
    }

    private static JsonObject SubjectNode(RbacSubject subject) => subject.Kind == RbacSubject.ServiceAccountKind
        ? new JsonObject { ["kind"] = "ServiceAccount", ["name"] = subject.Name, ["namespace"] = subject.Namespace }
        : new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = subject.Kind, ["name"] = subject.Name };

    private static KubeObject Create(JsonObject node) => KubeObject.Create(JsonDocument.Parse(node.ToJsonString()).RootElement, "generated");
}
