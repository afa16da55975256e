using KubeSecurity.Core.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Secrets;

/// <summary>Joins each secret with its readers, consumers, last change and leak indicators.</summary>
public static class SecretInventory
{
    public static List<SecretInventoryItem> Build(KubeSnapshot snapshot, RbacPolicy policy, LeakScanResult? leaks = null)
    {
        List<KubeObject> secrets = snapshot.OfKind("Secret").ToList();
        ILookup<(string, string), SecretAccess> readers = SecretAccessResolver.Resolve(policy, secrets).ToLookup(a => (a.Namespace, a.Secret));
        ILookup<(string, string), SecretReference> consumers = SecretReferences.Find(snapshot).ToLookup(r => (r.Namespace, r.SecretName));
        ILookup<(string?, string), Finding> indicators = (leaks?.Findings ?? new List<Finding>()).Where(f => f.Kind == "Secret").ToLookup(f => (f.Namespace, f.Name));
        var items = new List<SecretInventoryItem>();
        foreach (KubeObject secret in secrets.OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            string ns = secret.Namespace ?? "default";
            var who = readers[(ns, secret.Name)].ToList();
            var uses = consumers[(ns, secret.Name)].ToList();
            (DateTimeOffset? changed, string source) = SecretAnalyzer.LastChange(secret);
            string type = SecretData.Type(secret)!;
            items.Add(new SecretInventoryItem(ns, secret.Name, type, string.Join(", ", SecretData.Keys(secret)),
                who.Select(a => a.Subject).Distinct().Count(),
                string.Join("; ", who.Select(a => $"{a.Subject} ({string.Join("/", a.Verbs)}) {(a.Binding is null ? a.Via : $"via {a.Binding}")}")),
                uses.Count,
                string.Join("; ", uses.Select(u => $"{u.User} ({u.How})")),
                changed, source, type == "kubernetes.io/service-account-token",
                string.Join("; ", indicators[(ns, secret.Name)].Select(f => f.Evidence.GetValueOrDefault("Detector") ?? f.RuleId).Distinct(StringComparer.Ordinal))));
        }

        return items;
    }
}
