using KubeSecurity.Model;

namespace KubeSecurity.Core.Audit;

/// <summary>Marks findings with the cluster and context of the snapshot they came from, so findings of a fleet stay apart.</summary>
public static class FindingOrigin
{
    /// <summary>The finding marked with the snapshot's cluster and context; unchanged when it already has one or the snapshot came from files.</summary>
    public static Finding Stamp(Finding finding, KubeSnapshot snapshot) =>
        finding.Context is not null || finding.Cluster is not null || (snapshot.Context is null && snapshot.Cluster is null)
            ? finding
            : finding.WithOrigin(snapshot.Cluster, snapshot.Context);
}
