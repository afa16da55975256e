using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// The chains by which subjects reach cluster-admin (or a named permission): running pods as
/// stronger service accounts, minting their tokens, impersonation, bind/escalate, webhooks, CSR
/// approval and the kubelet API. Each path lists its steps and the grant behind each.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeRbacEscalationPath", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeRbacEscalationPath.md")]
[OutputType(typeof(RbacEscalationPath))]
public sealed class GetKubeRbacEscalationPathCommand : RbacCmdletBase
{
    /// <summary>Subjects to start from; every known subject when omitted (wildcards filter).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.SubjectCompleter))]
    public string[]? Subject { get; set; }

    /// <summary><c>cluster-admin</c> (the default) or a permission such as <c>get secrets</c> or <c>create pods/exec</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Target { get; set; } = EscalationTarget.ClusterAdmin;

    /// <summary>The namespace the target permission must hold in; any namespace when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetNamespace { get; set; }

    /// <summary>The longest chain to report, in steps.</summary>
    [Parameter]
    [ValidateRange(1, 20)]
    public int MaxDepth { get; set; } = 4;

    /// <summary>Also report subjects that hold the target already (a one-step "holds" path).</summary>
    [Parameter]
    public SwitchParameter IncludeDirect { get; set; }

    /// <summary>Also start from control-plane identities (users and groups named system:*).</summary>
    [Parameter]
    public SwitchParameter IncludeSystemDefaults { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds => base.RequiredKinds!.Append("Secret").ToList();

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        EscalationTarget target;
        try
        {
            target = EscalationTarget.Parse(Target, TargetNamespace);
        }
        catch (FormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidRbacTarget, ErrorCategory.InvalidArgument, Target));
            return;
        }

        RbacPolicy policy = BuildPolicy(snapshot);
        RbacEscalationGraph graph = RunEngine((reporter, token) => Task.FromResult(RbacEscalationGraph.Build(policy, target, reporter, token)));
        (List<RbacSubject> exact, List<WildcardPattern> patterns) = SplitSubjects(Subject);
        var starts = exact.Select(s => (Subject: s, Alternatives: true)).ToList();

        if (Subject is null || patterns.Count > 0)
        {
            starts.AddRange(graph.Subjects
                .Where(s => IncludeSystemDefaults || s.Kind == RbacSubject.ServiceAccountKind || !s.Name.StartsWith("system:", StringComparison.Ordinal))
                .Where(s => patterns.Count == 0 || patterns.Any(p => p.IsMatch(s.ToString())))
                .OrderBy(s => s.ToString(), StringComparer.Ordinal)
                .Select(s => (s, false)));
        }

        int found = 0;
        foreach ((RbacSubject subject, bool alternatives) in starts)
        {
            List<RbacEscalationPath> paths = graph.PathsOf(subject, MaxDepth, alternatives, IncludeDirect || alternatives);
            found += paths.Count;
            WriteObject(paths, enumerateCollection: true);
        }

        WriteVerbose($"{found} path(s) to {target.Text} within {MaxDepth} step(s) from {starts.Count} subject(s).");
    }
}
