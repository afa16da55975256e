using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Network;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Repair;

/// <summary>A mechanical fix: the object to change (or create), the object as it should be, and what changes.</summary>
public sealed record RepairPlan(string Action, ResourceRef Target, KubeObject? Before, KubeObject After, IReadOnlyList<string> Changes);

/// <summary>A binding repair: the subject that goes (null: every subject, so the binding), what remains, and the change in words.</summary>
public sealed record BindingRepairPlan(ResourceRef Binding, RbacSubject? Subject, JsonArray RemainingSubjects, string Change)
{
    public bool DeletesBinding => RemainingSubjects.Count == 0;
}

/// <summary>
/// The fixes rules declare when they are mechanical: drop privilege from a container, require
/// non-root, drop capabilities, set a seccomp profile, switch off token automount, label a
/// namespace for Pod Security Admission, add a default-deny policy, remove a subject from a
/// binding. The planner decides what to change; the cmdlet decides whether (ShouldProcess).
/// </summary>
public static class RepairPlanner
{
    private static readonly HashSet<string> ContainerRules = new(StringComparer.Ordinal)
    {
        WorkloadRules.Privileged, WorkloadRules.PrivilegeEscalation, WorkloadRules.RunAsNonRoot, WorkloadRules.DropAllCapabilities,
    };

    /// <summary>Whether the rule has a mechanical fix at all.</summary>
    public static bool CanRepair(Finding finding) =>
        ContainerRules.Contains(finding.RuleId) || finding.RuleId is WorkloadRules.SeccompRequired or SecretRules.UnneededTokenMount
            or NetworkRules.NamespaceWithoutPolicy or WorkloadRules.PsaEnforceMissing or WorkloadRules.PsaPrivileged
            or RbacRules.DefaultServiceAccountBound or RbacRules.AnonymousBinding or RbacRules.AllAuthenticatedBinding or RbacRules.MissingServiceAccount or RbacRules.MissingRole;

    /// <summary>Whether the fix edits an RBAC binding (removing a subject, or the binding).</summary>
    public static bool IsBindingRepair(Finding finding) => finding.Kind is "RoleBinding" or "ClusterRoleBinding";

    /// <summary>The subject a binding repair removes; null when the whole binding goes (a binding to a missing role).</summary>
    public static RbacSubject? SubjectToRemove(Finding finding) =>
        finding.RuleId != RbacRules.MissingRole && finding.Evidence.TryGetValue("Subject", out string? text) && RbacSubject.TryParse(text, out RbacSubject? subject) ? subject : null;

    /// <summary>Plans a binding repair on the binding as it is; throws <see cref="Live.BindingSubjectNotFoundException"/> when the subject is no longer in it.</summary>
    public static BindingRepairPlan PlanBinding(Finding finding, KubeObject binding)
    {
        RbacSubject? subject = SubjectToRemove(finding);
        JsonArray remaining = Live.BindingEditor.RemainingSubjects(binding, subject, out _);
        return new BindingRepairPlan(finding.Resource, subject, remaining, remaining.Count == 0 ? "delete the binding" : $"remove subject {subject}");
    }

    /// <summary>The binding repair in words when the binding cannot be read (planning offline).</summary>
    public static string DescribeBindingRepair(Finding finding) =>
        SubjectToRemove(finding) is { } subject ? $"remove subject {subject} (the binding is deleted when no subject remains)" : "delete the binding";

    /// <summary>The object a repair starts from (null when the fix creates one).</summary>
    public static ResourceRef? TargetOf(Finding finding) =>
        finding.RuleId == NetworkRules.NamespaceWithoutPolicy ? null : finding.Resource;

    /// <summary>Plans the fix on the current object; null with a reason when it cannot be planned.</summary>
    public static RepairPlan? Plan(Finding finding, KubeObject? current, out string? reason)
    {
        reason = null;
        if (finding.RuleId == NetworkRules.NamespaceWithoutPolicy)
        {
            KubeObject policy = NetworkPolicyGenerator.DefaultDeny(finding.Name, true, true, allowDns: true);
            return new RepairPlan("Create", policy.ToResourceRef(), null, policy, new[] { $"create NetworkPolicy {finding.Name}/default-deny (ingress and egress denied, DNS to kube-dns allowed)" });
        }

        if (current is null)
        {
            reason = $"{finding.Resource} is not available to change";
            return null;
        }

        JsonObject node = KubeObjectJson.ToNode(current);
        var changes = new List<string>();
        switch (finding.RuleId)
        {
            case WorkloadRules.PsaEnforceMissing or WorkloadRules.PsaPrivileged:
                JsonObject labels = Ensure(Ensure(node, "metadata"), "labels");
                changes.Add(Set(labels, "pod-security.kubernetes.io/enforce", "baseline", "metadata.labels"));
                break;
            case SecretRules.UnneededTokenMount:
                JsonObject target = current.Kind == "ServiceAccount" ? node : PodSpec(node, current.Kind) ?? throw new InvalidOperationException();
                changes.Add(Set(target, "automountServiceAccountToken", false, current.Kind == "ServiceAccount" ? string.Empty : PodSpecPath(current.Kind)));
                break;
            case WorkloadRules.SeccompRequired:
                JsonObject? spec = PodSpec(node, current.Kind);
                if (spec is null)
                {
                    reason = $"{finding.Resource} has no pod spec";
                    return null;
                }

                changes.Add(Set(Ensure(Ensure(spec, "securityContext"), "seccompProfile"), "type", "RuntimeDefault", $"{PodSpecPath(current.Kind)}.securityContext.seccompProfile"));
                break;
            case var rule when ContainerRules.Contains(rule):
                if (!finding.Evidence.TryGetValue("Container", out string? name) || Container(node, current.Kind, name) is not JsonObject container)
                {
                    reason = $"the container named by the finding is not in {finding.Resource}";
                    return null;
                }

                JsonObject context = Ensure(container, "securityContext");
                string at = $"containers[{name}].securityContext";
                switch (rule)
                {
                    case WorkloadRules.Privileged:
                        changes.Add(Set(context, "privileged", false, at));
                        break;
                    case WorkloadRules.PrivilegeEscalation:
                        changes.Add(Set(context, "allowPrivilegeEscalation", false, at));
                        break;
                    case WorkloadRules.RunAsNonRoot:
                        changes.Add(Set(context, "runAsNonRoot", true, at));
                        break;
                    default:
                        JsonObject capabilities = Ensure(context, "capabilities");
                        changes.Add(SetArray(capabilities, "drop", new[] { "ALL" }, $"{at}.capabilities"));
                        if (capabilities["add"] is JsonArray added)
                        {
                            string[] kept = added.Select(a => a?.GetValue<string>()).Where(a => a is "NET_BIND_SERVICE").Select(a => a!).ToArray();
                            changes.Add(SetArray(capabilities, "add", kept, $"{at}.capabilities"));
                        }

                        break;
                }

                break;
            default:
                reason = $"{finding.RuleId} is repaired through the binding, not here";
                return null;
        }

        changes.RemoveAll(c => c.Length == 0);
        if (changes.Count == 0)
        {
            reason = $"{finding.Resource} already has the fix";
            return null;
        }

        KubeObject after = KubeObject.Create(JsonDocument.Parse(node.ToJsonString()).RootElement, current.Origin);
        return new RepairPlan("Update", current.ToResourceRef(), current, after, changes);
    }

    private static JsonObject Ensure(JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child)
        {
            parent[name] = child = new JsonObject();
        }

        return child;
    }

    private static string Set(JsonObject parent, string name, JsonNode value, string path)
    {
        string before = parent[name]?.ToJsonString() ?? "(unset)";
        string after = value.ToJsonString();
        if (before == after)
        {
            return string.Empty;
        }

        parent[name] = value;
        return $"{(path.Length == 0 ? string.Empty : path + ".")}{name}: {before} -> {after}";
    }

    private static string SetArray(JsonObject parent, string name, string[] values, string path) =>
        Set(parent, name, new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()), path);

    private static string PodSpecPath(string kind) => kind switch
    {
        "Pod" => "spec",
        "CronJob" => "spec.jobTemplate.spec.template.spec",
        _ => "spec.template.spec",
    };

    private static JsonObject? PodSpec(JsonObject node, string kind) => kind switch
    {
        "Pod" => node["spec"] as JsonObject,
        "CronJob" => node["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"] as JsonObject,
        _ => node["spec"]?["template"]?["spec"] as JsonObject,
    };

    private static JsonObject? Container(JsonObject node, string kind, string name)
    {
        JsonObject? spec = PodSpec(node, kind);
        foreach (string field in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            if (spec?[field] is JsonArray list && list.OfType<JsonObject>().FirstOrDefault(c => c["name"]?.GetValue<string>() == name) is JsonObject container)
            {
                return container;
            }
        }

        return null;
    }
}
