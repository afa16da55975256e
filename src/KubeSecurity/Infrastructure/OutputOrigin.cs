using System.Management.Automation;
using KubeSecurity.Core.Audit;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// Marks output with the cluster and context it came from, the way remoting adds PSComputerName:
/// findings get their own Cluster and Context; other KubeSecurity objects get note properties of
/// those names (unless their type already has them), so a fleet's output can be grouped and filtered.
/// </summary>
internal static class OutputOrigin
{
    public static bool IsFromCluster(KubeSnapshot? snapshot) => snapshot is not null && (snapshot.Context is not null || snapshot.Cluster is not null);

    public static object? Mark(object? output, KubeSnapshot? snapshot)
    {
        if (!IsFromCluster(snapshot) || output is null)
        {
            return output;
        }

        object target = output is PSObject wrapped ? wrapped.BaseObject : output;
        if (target is Finding finding)
        {
            return FindingOrigin.Stamp(finding, snapshot!);
        }

        if (target.GetType().Assembly != typeof(Finding).Assembly)
        {
            return output;
        }

        PSObject marked = PSObject.AsPSObject(output);
        AddIfMissing(marked, "Cluster", snapshot!.Cluster);
        AddIfMissing(marked, "Context", snapshot.Context);
        return marked;
    }

    private static void AddIfMissing(PSObject output, string name, string? value)
    {
        if (output.Properties[name] is null)
        {
            output.Properties.Add(new PSNoteProperty(name, value));
        }
    }
}
