using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Whether a subject may make a request, and why (like kubectl auth can-i, answered from the snapshot).</summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeRbacAccess", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubeRbacAccess.md")]
[OutputType(typeof(RbacAccessResult), typeof(bool))]
public sealed class TestKubeRbacAccessCommand : RbacRequestCmdletBase
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.SubjectCompleter))]
    public string[]? Subject { get; set; }

    /// <summary>Groups the user is in beyond what the snapshot knows (as --as-group).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Group { get; set; }

    /// <summary>Return only $true or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        RbacPolicy policy = BuildPolicy(snapshot);
        foreach (string text in Subject!)
        {
            if (ParseSubject(text) is not RbacSubject subject)
            {
                continue;
            }

            RbacIdentity identity = IdentityOf(policy, subject);
            foreach (string? ns in RequestNamespaces)
            {
                RbacAccessResult result = policy.Authorize(identity, BuildRequest(ns));
                WriteVerbose($"{subject} as user '{identity.UserName ?? "(a member)"}' in groups {string.Join(", ", identity.Groups)}: {result}");
                WriteObject(Quiet ? result.Allowed : result);
            }
        }
    }

    // A user aws-auth maps gets the mapping's groups, as the authenticator would give them.
    private RbacIdentity IdentityOf(RbacPolicy policy, RbacSubject subject)
    {
        AwsAuthMapping? mapping = subject.Kind == RbacSubject.UserKind ? policy.AwsAuth.FirstOrDefault(m => m.CloudIdentity == subject.Name || m.UserName == subject.Name) : null;
        return mapping is null
            ? RbacIdentity.For(subject, Group)
            : RbacIdentity.For(RbacSubject.User(mapping.UserName), mapping.Groups.Concat(Group ?? Array.Empty<string>()), mapping.Describe());
    }
}
