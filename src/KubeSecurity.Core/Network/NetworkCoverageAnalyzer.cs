using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>Per namespace and per workload: isolated for ingress and egress, and by which policies.</summary>
public static class NetworkCoverageAnalyzer
{
    public static List<NetworkCoverage> Analyze(NetworkModel model)
    {
        var rows = new List<NetworkCoverage>();
        foreach (string ns in model.Namespaces.Order(StringComparer.Ordinal))
        {
            List<PodClass> classes = model.Classes.Where(c => c.Namespace == ns).ToList();
            List<NetworkPolicyModel> policies = model.Policies.Where(p => p.Namespace == ns).ToList();
            bool calico = model.CalicoPolicies.Any(p => p.Namespace is null || p.Namespace == ns);
            var scoped = classes.Where(c => !c.HostNetwork).ToList();
            bool allIngress = scoped.Count > 0 && scoped.All(model.IsIngressIsolated);
            bool allEgress = scoped.Count > 0 && scoped.All(model.IsEgressIsolated);
            string? note = policies.Count == 0 && !calico ? "no NetworkPolicy: every pod accepts and opens any connection" : null;
            rows.Add(WithCompleteness(model, scoped, new NetworkCoverage("Namespace", ns, ns, classes.Sum(c => Math.Max(1, c.Pods.Count)), allIngress, allEgress,
                policies.Where(p => p.AffectsIngress).Select(p => p.Name).ToList(), policies.Where(p => p.AffectsEgress).Select(p => p.Name).ToList(), false, note)));

            foreach (IGrouping<ResourceRef, PodClass> workload in classes.SelectMany(c => c.Workloads.Select(w => (w, c))).GroupBy(x => x.w, x => x.c).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
            {
                bool host = workload.Any(c => c.HostNetwork);
                List<string> ingress = workload.SelectMany(model.IngressPolicyNames).Distinct(StringComparer.Ordinal).ToList();
                List<string> egress = workload.SelectMany(model.EgressPolicyNames).Distinct(StringComparer.Ordinal).ToList();
                var row = new NetworkCoverage(workload.Key.Kind, ns, workload.Key.Name, workload.Sum(c => c.Pods.Count),
                    !host && workload.All(model.IsIngressIsolated), !host && workload.All(model.IsEgressIsolated),
                    ingress, egress, host, host ? "host network: NetworkPolicy does not apply to these pods" : null);
                rows.Add(host
                    ? row with { Completeness = NetworkCompleteness.OutOfScope, CompletenessNotes = new[] { ConnectivityVerdict.OutOfScopeReason } }
                    : WithCompleteness(model, workload.ToList(), row));
            }
        }

        return rows;
    }

    // Admin policies that select the pods, and whatever not evaluated could select them.
    private static NetworkCoverage WithCompleteness(NetworkModel model, IReadOnlyCollection<PodClass> classes, NetworkCoverage row)
    {
        var notes = classes.SelectMany(model.CompletenessNotes).Distinct(StringComparer.Ordinal).ToList();
        var admin = classes.SelectMany(model.AdminPolicyNames).Distinct(StringComparer.Ordinal).ToList();
        return row with
        {
            Completeness = notes.Count > 0 ? NetworkCompleteness.Partial : NetworkCompleteness.Exact,
            CompletenessNotes = notes,
            AdminPolicies = admin,
            Note = admin.Count > 0 && row.Note is not null && row.Kind == "Namespace" ? $"no NetworkPolicy; admin policies apply: {string.Join(", ", admin)}" : row.Note,
        };
    }
}
