using System.Management.Automation;
using KubeSecurity.Core.Network;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>What-if: the connections a proposed set of policies would newly block or newly allow, before anything is applied.</summary>
[Cmdlet(VerbsData.Compare, "KubeNetworkPolicy", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Compare-KubeNetworkPolicy.md")]
[OutputType(typeof(NetworkConnectivityChange))]
public sealed class CompareKubeNetworkPolicyCommand : NetworkCmdletBase
{
    /// <summary>Proposed NetworkPolicies: objects (New-KubeNetworkPolicy, Get-KubeObject) or paths of manifests. They replace policies of the same namespace and name.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public object[]? Proposed { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        var proposed = new List<KubeObject>();
        var paths = new List<string>();
        foreach (object item in Proposed!.Select(p => p is PSObject wrapped ? wrapped.BaseObject : p))
        {
            switch (item)
            {
                case KubeObject { Kind: "NetworkPolicy", ApiGroup: "networking.k8s.io" } policy:
                    proposed.Add(policy);
                    break;
                case KubeObject { Kind: "NetworkPolicy" or "GlobalNetworkPolicy", ApiGroup: "projectcalico.org" or "crd.projectcalico.org" } calico:
                    proposed.Add(calico);
                    break;
                case KubeObject other:
                    WriteError(new ErrorRecord(new ArgumentException($"{other} is not a NetworkPolicy (Kubernetes or Calico) or a Calico GlobalNetworkPolicy; only those are compared."), ErrorIds.UnsupportedPolicyKind, ErrorCategory.InvalidArgument, other));
                    break;
                case string path:
                    paths.Add(path);
                    break;
                default:
                    WriteError(new ErrorRecord(new ArgumentException($"A {item.GetType().Name} is not a policy or a path."), ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, item));
                    break;
            }
        }

        if (paths.Count > 0)
        {
            proposed.AddRange(SnapshotAcquisition.FromFiles(this, SnapshotAcquisition.ResolvePaths(this, paths, literal: false), null, null).Objects
                .Where(o => o.Kind is "NetworkPolicy" or "GlobalNetworkPolicy" && o.ApiGroup is "networking.k8s.io" or "projectcalico.org" or "crd.projectcalico.org"));
        }

        NetworkModel current = BuildModel(snapshot);
        NetworkModel after = NetworkModel.Build(snapshot, proposed);
        foreach (NetworkProblem problem in after.Problems.Where(p => proposed.Any(o => o.ToResourceRef() == p.Resource)))
        {
            WriteError(new ErrorRecord(new InvalidDataException(problem.ToString()), ErrorIds.NetworkPolicyInvalid, ErrorCategory.InvalidData, problem.Resource.ToString()));
        }

        List<NetworkConnectivityChange> changes = RunEngine((_, token) => Task.FromResult(ConnectivityDiff.Compare(current, after, Namespace, token)));
        WriteVerbose($"{proposed.Count} proposed polic(ies): {changes.Count(c => c.Change == "NewlyBlocked")} connection(s) newly blocked, {changes.Count(c => c.Change == "NewlyAllowed")} newly allowed.");
        WriteObject(changes, enumerateCollection: true);
    }
}
