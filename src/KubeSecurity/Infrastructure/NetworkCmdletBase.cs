using System.Management.Automation;
using KubeSecurity.Core.Network;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// The network cmdlets' shared step: build the NetworkPolicy model, report each policy that had
/// to be skipped as an error (the rest is analysed), and warn when kinds the answer depends on
/// could not be read.
/// </summary>
public abstract class NetworkCmdletBase : SnapshotInputCmdlet
{
    internal static IReadOnlyList<string> NetworkKinds => Core.Audit.AuditAreas.Network.Kinds;

    protected override IReadOnlyList<string>? RequiredKinds => NetworkKinds;

    internal NetworkModel BuildModel(KubeSnapshot snapshot, IEnumerable<KubeObject>? proposed = null)
    {
        NetworkModel model = RunEngine((_, token) => Task.FromResult(NetworkModel.Build(snapshot, proposed, token)));
        foreach (NetworkProblem problem in model.Problems)
        {
            WriteError(new ErrorRecord(new InvalidDataException(problem.ToString()), ErrorIds.NetworkPolicyInvalid, ErrorCategory.InvalidData, problem.Resource.ToString()));
        }

        foreach (MissingKind missing in snapshot.MissingKinds.Where(m => NetworkKinds.Contains(m.Kind, StringComparer.Ordinal)))
        {
            WriteWarning($"{missing.Kind} objects could not be read ({missing.Reason}); network answers leave them out.");
        }

        foreach (string note in model.GroupingNotes.Take(20))
        {
            WriteVerbose(note);
        }

        if (model.GroupingNotes.Count > 0)
        {
            WriteWarning($"{model.GroupingNotes.Count} pod(s) name their owner without a kind (an invalid ownerReference) and were grouped by the owner's name; -Verbose lists them.");
        }

        if (model.Unevaluated.Count > 0)
        {
            // Once per run: the answers that these could change are marked Partial and name them.
            WriteWarning($"{model.Unevaluated.Count} object(s) that can allow or deny traffic are not evaluated; answers about the pods they could select are marked Completeness Partial: "
                + $"{string.Join("; ", model.Unevaluated.Take(5))}{(model.Unevaluated.Count > 5 ? "; ..." : string.Empty)}");
        }

        WriteVerbose($"Modelled {model.Policies.Count} NetworkPolicy object(s), {model.AdminPolicies.Count} AdminNetworkPolicy object(s){(model.BaselinePolicy is null ? string.Empty : " and the BaselineAdminNetworkPolicy")} over {model.Classes.Count} group(s) of identical pods in {model.Namespaces.Count} namespace(s).");
        return model;
    }
}
