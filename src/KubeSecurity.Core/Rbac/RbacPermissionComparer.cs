using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// Permissions gained and lost per subject between two snapshots. Each grant is broken into
/// atoms (subject, scope, group, resource, names, verb) so a role edit, a new binding or a removed
/// subject all show up the same way; atoms are then regrouped per resource for reading.
/// </summary>
public static class RbacPermissionComparer
{
    private sealed record Atom(RbacSubject Subject, string Scope, string? ApiGroup, string? Resource, string? Url, string Names, string Verb);

    public static List<RbacPermissionChange> Compare(RbacPolicy reference, RbacPolicy difference)
    {
        HashSet<Atom> before = Atoms(reference);
        HashSet<Atom> after = Atoms(difference);
        var changes = new List<RbacPermissionChange>();
        changes.AddRange(Group("Gained", after.Where(a => !before.Contains(a))));
        changes.AddRange(Group("Lost", before.Where(a => !after.Contains(a))));
        return changes.OrderBy(c => c.Subject.ToString(), StringComparer.Ordinal).ThenBy(c => c.Change, StringComparer.Ordinal)
            .ThenBy(c => c.Scope, StringComparer.Ordinal).ThenBy(c => c.Target, StringComparer.Ordinal).ToList();
    }

    private static HashSet<Atom> Atoms(RbacPolicy policy)
    {
        var atoms = new HashSet<Atom>();
        foreach (RbacPermission row in policy.AllPermissions())
        {
            string names = string.Join(",", row.ResourceNames.Order(StringComparer.Ordinal));
            foreach (string verb in row.Verbs)
            {
                foreach (string url in row.NonResourceUrls)
                {
                    atoms.Add(new Atom(row.Subject, row.Scope, null, null, url, string.Empty, verb));
                }

                foreach (string group in row.ApiGroups)
                {
                    foreach (string resource in row.Resources)
                    {
                        atoms.Add(new Atom(row.Subject, row.Scope, group, resource, null, names, verb));
                    }
                }
            }
        }

        return atoms;
    }

    private static IEnumerable<RbacPermissionChange> Group(string change, IEnumerable<Atom> atoms) =>
        atoms.GroupBy(a => a with { Verb = string.Empty })
            .Select(g => new RbacPermissionChange(change, g.Key.Subject, g.Key.Scope, g.Key.ApiGroup, g.Key.Resource, g.Key.Url,
                g.Select(a => a.Verb).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                g.Key.Names.Length == 0 ? Array.Empty<string>() : g.Key.Names.Split(',')));
}
