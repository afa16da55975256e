using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Who can do this (like kubectl-who-can): every subject allowed the request, with the binding and role that allow it.</summary>
[Cmdlet(VerbsCommon.Get, "KubeRbacSubject", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeRbacSubject.md")]
[OutputType(typeof(RbacPermission))]
public sealed class GetKubeRbacSubjectCommand : RbacRequestCmdletBase
{
    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        RbacPolicy policy = BuildPolicy(snapshot);
        var answer = new List<RbacPermission>();
        foreach (string? ns in RequestNamespaces)
        {
            RbacRequest request = BuildRequest(ns);
            List<RbacPermission> rows = policy.WhoCan(request, anyNamespace: ns is null);
            WriteVerbose($"{rows.Select(r => r.Subject).Distinct().Count()} subject(s) may {Verb} {request.CombinedResource}{request.NonResourceUrl} {(ns is null ? "(in any namespace)" : "in " + ns)}.");
            answer.AddRange(rows);
        }

        // Sorted by subject, the key the default view groups by, so each subject is one group.
        WriteObject(answer.OrderBy(r => r.Subject.ToString(), StringComparer.Ordinal).ThenBy(r => r.Via is not null && r.Binding is null).ThenBy(r => r.Scope, StringComparer.Ordinal), enumerateCollection: true);
    }
}
