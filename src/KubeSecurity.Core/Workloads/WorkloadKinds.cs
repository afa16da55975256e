using System.Text.Json;
using KubeSecurity.Model;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Workloads;

/// <summary>
/// The kinds that run pods from a template, and where each keeps that template: one list and one
/// reader for every area (network, pod security, certificates, secrets), so none misses a kind.
/// </summary>
public static class WorkloadKinds
{
    /// <summary>Every kind that creates pods from a pod template (a CronJob through its job template).</summary>
    public static IReadOnlyList<string> All { get; } = new[] { "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController" };

    /// <summary>The pod template of a workload (metadata and spec), or an undefined element when it has none.</summary>
    public static JsonElement Template(KubeObject workload)
    {
        if (!workload.Json.TryGet("spec"u8, out JsonElement spec))
        {
            return default;
        }

        if (workload.Kind == "CronJob")
        {
            return spec.TryGet("jobTemplate"u8, out JsonElement job) && job.TryGet("spec"u8, out JsonElement jobSpec)
                && jobSpec.TryGet("template"u8, out JsonElement t) ? t : default;
        }

        return spec.TryGet("template"u8, out JsonElement template) ? template : default;
    }

    /// <summary>The JSON path of the pod spec inside a workload of this kind (a Pod's own spec for a Pod).</summary>
    public static string PodSpecPath(string kind) => kind switch
    {
        "Pod" => "spec",
        "CronJob" => "spec.jobTemplate.spec.template.spec",
        _ => "spec.template.spec",
    };
}
