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

        WriteVerbose($"Modelled {model.Policies.Count} NetworkPolicy object(s) over {model.Classes.Count} group(s) of identical pods in {model.Namespaces.Count} namespace(s).");
        return model;
    }
}
