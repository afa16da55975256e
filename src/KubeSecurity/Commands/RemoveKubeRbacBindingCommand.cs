using System.Management.Automation;
using KubeSecurity.Core.Live;
using KubeSecurity.Core.Rules;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Removes a subject from a RoleBinding or ClusterRoleBinding on the live cluster, or the binding
/// when it is the last subject (or when no subject is named). Takes Test-KubeRbac findings from
/// the pipeline. Returns the binding as it was, as a backup.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KubeRbacBinding", DefaultParameterSetName = FindingSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Remove-KubeRbacBinding.md")]
[OutputType(typeof(ApplyResult))]
public sealed class RemoveKubeRbacBindingCommand : LiveChangeCmdletBase
{
    private const string NameSet = "Name";
    private const string FindingSet = "Finding";

    [Parameter(Mandatory = true, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("RoleBinding", "ClusterRoleBinding")]
    public string? Kind { get; set; }

    [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The subject to remove; without it the whole binding is deleted.</summary>
    [Parameter(ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.SubjectCompleter))]
    public string? Subject { get; set; }

    /// <summary>A Test-KubeRbac finding about a binding: its subject is removed (a binding to a missing role is deleted).</summary>
    [Parameter(Mandatory = true, ParameterSetName = FindingSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Finding? Finding { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryTarget(out string kind, out string? ns, out string name, out RbacSubject? subject))
        {
            return;
        }

        string target = new ResourceRef(kind, kind == "ClusterRoleBinding" ? null : ns, name).ToString();
        try
        {
            KubeObject current = RunEngine((_, token) => BindingEditor.GetAsync(Connection, kind, ns, name, token));
            System.Text.Json.Nodes.JsonArray remaining = BindingEditor.RemainingSubjects(current, subject, out int removed);
            string action = remaining.Count == 0
                ? $"Delete the binding ({(subject is null ? "all" : "its last")} subject{(removed == 1 ? string.Empty : "s")})"
                : $"Remove subject {subject} ({remaining.Count} subject(s) remain)";
            if (!ShouldProcess($"{target} on {ClusterName}", action))
            {
                return;
            }

            ApplyResult result = RunEngine((_, token) => BindingEditor.RemoveSubjectAsync(Connection, current, remaining, token));
            WriteVerbose($"{result.Action} {target}; the binding as it was is in the output's Previous property.");
            WriteObject(result);
        }
        catch (KubeApiException ex)
        {
            if (!WhatIfWithoutCluster(ex, target, subject is null ? "Delete the binding" : $"Remove subject {subject} (the binding is deleted when no subject remains)"))
            {
                WriteError(ApiError(ex, target));
            }
        }
        catch (BindingSubjectNotFoundException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.BindingSubjectNotFound, ErrorCategory.ObjectNotFound, target));
        }
    }

    private bool TryTarget(out string kind, out string? ns, out string name, out RbacSubject? subject)
    {
        subject = null;
        if (ParameterSetName == FindingSet)
        {
            (kind, ns, name) = (Finding!.Kind, Finding.Namespace, Finding.Name);
            if (kind is not ("RoleBinding" or "ClusterRoleBinding"))
            {
                WriteError(new ErrorRecord(new ArgumentException($"{Finding.RuleId} is about {Finding.Resource}, not a binding; there is no subject to remove."),
                    ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, Finding));
                return false;
            }

            // A binding to a missing role is removed whole; otherwise the finding's subject.
            if (Finding.RuleId != RbacRules.MissingRole && Finding.Evidence.TryGetValue("Subject", out string? text) && RbacSubject.TryParse(text, out subject))
            {
                return true;
            }

            return Finding.RuleId == RbacRules.MissingRole || Fail(Finding, "names no subject");
        }

        (kind, ns, name) = (Kind!, Namespace, Name!);
        if (kind == "RoleBinding" && string.IsNullOrEmpty(ns))
        {
            WriteError(new ErrorRecord(new ArgumentException($"RoleBinding '{name}' needs -Namespace."), ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, name));
            return false;
        }

        if (Subject is not null && !RbacSubject.TryParse(Subject, out subject))
        {
            return Fail(Subject, "is not a subject (User:NAME, Group:NAME, ServiceAccount:NS/NAME)");
        }

        return true;
    }

    private bool Fail(object target, string why)
    {
        WriteError(new ErrorRecord(new ArgumentException($"{target} {why}."), ErrorIds.InvalidSubject, ErrorCategory.InvalidArgument, target));
        return false;
    }
}
