using KubeSecurity.Core.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Secrets;

/// <summary>
/// Who may read which secret (get, list or watch; list and watch reveal values as get does).
/// Grants are resolved once per namespace; only secrets named in resourceNames rules get their own query.
/// </summary>
public static class SecretAccessResolver
{
    private static readonly string[] ReadVerbs = { "get", "list", "watch" };

    public static List<SecretAccess> Resolve(RbacPolicy policy, IEnumerable<KubeObject> secrets)
    {
        var named = policy.Roles.SelectMany(r => r.Rules)
            .Where(r => r.ResourceNames.Count > 0 && r.Resources.Any(x => x is "secrets" or "*"))
            .SelectMany(r => r.ResourceNames).ToHashSet(StringComparer.Ordinal);
        var rows = new List<SecretAccess>();
        foreach (IGrouping<string, KubeObject> ns in secrets.GroupBy(s => s.Namespace ?? "default"))
        {
            List<(string Verb, RbacPermission Row)> shared = ReadVerbs.SelectMany(v => policy.WhoCan(RbacRequest.ForResource(v, "secrets", ns: ns.Key), false).Select(r => (v, r))).ToList();
            foreach (KubeObject secret in ns)
            {
                List<(string Verb, RbacPermission Row)> grants = shared;
                if (named.Contains(secret.Name))
                {
                    grants = shared.Concat(policy.WhoCan(RbacRequest.ForResource("get", "secrets", ns: ns.Key, name: secret.Name), false)
                        .Where(r => r.ResourceNames.Count > 0).Select(r => ("get", r))).ToList();
                }

                foreach (var group in grants.GroupBy(g => (g.Row.Subject, g.Row.Binding, g.Row.Role, g.Row.Via)))
                {
                    rows.Add(new SecretAccess(ns.Key, secret.Name, group.Key.Subject,
                        group.Select(g => g.Verb).Distinct(StringComparer.Ordinal).OrderBy(v => Array.IndexOf(ReadVerbs, v)).ToList(),
                        group.Key.Binding, group.Key.Role, group.Key.Via));
                }
            }
        }

        return rows;
    }
}
