using System.Management.Automation;
using KubeSecurity.Core.Live;
using KubeSecurity.Core.Repair;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Applies the mechanical fix of each finding from the pipeline to the live cluster (ShouldProcess;
/// -WhatIf shows each change), returning before/after objects; or with -AsManifest and -Snapshot
/// emits the repaired objects for GitOps. Findings without a mechanical fix are skipped with a message.
/// A finding found through a context is repaired through that context (so a fleet audit repairs
/// each cluster), and never through another one.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "KubeSecurityFinding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Repair-KubeSecurityFinding.md")]
[OutputType(typeof(RepairResult), typeof(KubeObject))]
public sealed class RepairKubeSecurityFindingCommand : LiveChangeCmdletBase
{
    private int skipped;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Finding? Finding { get; set; }

    /// <summary>Change nothing: emit the repaired objects (taken from -Snapshot) for Export-KubeManifest.</summary>
    [Parameter]
    public SwitchParameter AsManifest { get; set; }

    /// <summary>With -AsManifest: the snapshot holding the objects to repair; with -WhatIf and no reachable cluster, the objects the plan is shown for.</summary>
    [Parameter]
    public KubeSnapshot? Snapshot { get; set; }

    protected override void ProcessRecord()
    {
        Finding finding = Finding!;
        if (!RepairPlanner.CanRepair(finding))
        {
            skipped++;
            WriteVerbose($"{finding.RuleId} on {finding.Resource} has no mechanical fix; skipped.");
            return;
        }

        if (AsManifest && Snapshot is null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-AsManifest needs -Snapshot: the objects to repair come from it."), ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, null));
        }

        string? expected = AsManifest ? Snapshot!.Context : Context;
        if (finding.Context is not null && expected is not null && finding.Context != expected)
        {
            WriteError(new ErrorRecord(new InvalidOperationException(
                $"{finding.RuleId} on {finding.Resource} was found through context '{finding.Context}', not '{expected}'; it is not repaired there. Pass the findings of each cluster with its own -Context (or none: a finding is repaired through the context it was found through)."),
                ErrorIds.FindingFromOtherContext, ErrorCategory.InvalidArgument, finding));
            return;
        }

        try
        {
            KubeConnection? connection = null;
            if (!AsManifest)
            {
                connection = ConnectionFor(finding.Context);
            }

            if (RepairPlanner.IsBindingRepair(finding))
            {
                RepairBinding(finding, connection);
            }
            else
            {
                RepairObject(finding, connection);
            }
        }
        catch (KubeApiException ex) when (WhatIfRequested && IsUnreachable(ex))
        {
            // -WhatIf changes nothing, so it needs no cluster: show the plan from what is known.
            WhatIfOffline(finding, ex.Message);
        }
        catch (KubeApiException ex)
        {
            WriteError(ApiError(ex, finding.Resource.ToString()));
        }
    }

    private void RepairObject(Finding finding, KubeConnection? connection)
    {
        ResourceRef? targetRef = RepairPlanner.TargetOf(finding);
        KubeObject? current = targetRef is null ? null
            : AsManifest ? Snapshot!.Objects.FirstOrDefault(o => o.ToResourceRef() == targetRef)
            : RunEngine((_, token) => ObjectRemover.GetAsync(connection!, targetRef.Kind, targetRef.Namespace, targetRef.Name, token));
        RepairPlan? plan = RepairPlanner.Plan(finding, current, out string? reason);
        if (plan is null)
        {
            WriteWarning($"{finding.RuleId} on {finding.Resource}: not repaired ({reason}).");
            return;
        }

        if (AsManifest)
        {
            WriteVerbose($"{plan.Action} {plan.Target}: {string.Join("; ", plan.Changes)}");
            WriteObject(plan.After);
            return;
        }

        if (!ShouldProcess($"{plan.Target} on {NameOf(connection!)}", $"{plan.Action} for {finding.RuleId}: {string.Join("; ", plan.Changes)}"))
        {
            return;
        }

        ApplyResult applied = RunEngine((_, token) => ObjectApplier.ApplyAsync(connection!, plan.After, token));
        WriteObject(new RepairResult(finding.RuleId, plan.Target, applied.Action, plan.Changes, applied.Previous, applied.Current, true));
    }

    private void RepairBinding(Finding finding, KubeConnection? connection)
    {
        KubeObject current = AsManifest
            ? Snapshot!.Objects.FirstOrDefault(o => o.ToResourceRef() == finding.Resource) ?? throw new KubeApiException(ApiFailure.NotFound, $"{finding.Resource} is not in the snapshot.")
            : RunEngine((_, token) => BindingEditor.GetAsync(connection!, finding.Kind, finding.Namespace, finding.Name, token));
        BindingRepairPlan plan;
        try
        {
            plan = RepairPlanner.PlanBinding(finding, current);
        }
        catch (BindingSubjectNotFoundException ex)
        {
            WriteWarning($"{finding.RuleId} on {finding.Resource}: not repaired ({ex.Message}).");
            return;
        }

        if (AsManifest)
        {
            WriteVerbose($"{finding.Resource}: {plan.Change}{(plan.DeletesBinding ? " (remove its manifest from the repository)" : string.Empty)}.");
            if (!plan.DeletesBinding)
            {
                WriteObject(BindingEditor.WithSubjects(current, plan.RemainingSubjects));
            }

            return;
        }

        if (!ShouldProcess($"{finding.Resource} on {NameOf(connection!)}", $"Repair {finding.RuleId}: {plan.Change}"))
        {
            return;
        }

        ApplyResult applied = RunEngine((_, token) => BindingEditor.RemoveSubjectAsync(connection!, current, plan.RemainingSubjects, token));
        WriteObject(new RepairResult(finding.RuleId, finding.Resource, applied.Action, new[] { plan.Change }, applied.Previous, applied.Current, true));
    }

    /// <summary>The -WhatIf line when no cluster can be reached: field changes planned on -Snapshot's copy of the object when given, else the rule's fix.</summary>
    private void WhatIfOffline(Finding finding, string why)
    {
        bool binding = RepairPlanner.IsBindingRepair(finding);
        ResourceRef target = (binding ? null : RepairPlanner.TargetOf(finding)) ?? finding.Resource;
        KubeObject? current = Snapshot?.Objects.FirstOrDefault(o => o.ToResourceRef() == target);
        string change;
        if (binding)
        {
            change = RepairPlanner.DescribeBindingRepair(finding);
        }
        else if (current is not null && RepairPlanner.Plan(finding, current, out _) is { } plan)
        {
            change = $"{plan.Action}: {string.Join("; ", plan.Changes)}";
        }
        else
        {
            change = finding.Remediation;
        }

        ShouldProcess($"{target} (planned offline{(current is null ? string.Empty : " from -Snapshot")}; no cluster: {why})", $"Repair {finding.RuleId}: {change}");
    }

    protected override void EndProcessing()
    {
        if (skipped > 0)
        {
            WriteWarning($"{skipped} finding(s) have no mechanical fix and were skipped (run with -Verbose to see which).");
        }

        base.EndProcessing();
    }
}
