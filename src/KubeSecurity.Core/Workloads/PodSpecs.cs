using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Workloads;

/// <summary>A pod spec and the object it belongs to (a workload's template, or a pod no workload owns), with its JSON path.</summary>
public sealed record PodSpecSite(KubeObject Owner, JsonElement Spec, string Path)
{
    public string Namespace => Owner.Namespace ?? "default";

    public string ServiceAccount => JsonRead.String(Spec, "serviceAccountName") ?? JsonRead.String(Spec, "serviceAccount") ?? "default";

    /// <summary>
    /// A static pod, seen through the mirror pod its kubelet creates: it cannot refer to API objects,
    /// so it gets no service-account token (the ServiceAccount admission plugin leaves mirror pods alone).
    /// </summary>
    public bool IsStaticPod => Owner.Kind == "Pod" && Owner.Annotations.ContainsKey("kubernetes.io/config.mirror");

    /// <summary>Every container (init, regular, ephemeral) with its JSON path.</summary>
    public IEnumerable<(JsonElement Container, string Path, string Name)> Containers()
    {
        foreach (string field in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            if (Spec.TryGet(field, out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement container in list.EnumerateArray())
                {
                    string name = JsonRead.String(container, "name") ?? "?";
                    yield return (container, $"{Path}.{field}[{name}]", name);
                }
            }
        }
    }
}

/// <summary>
/// The pod specs of a snapshot, each once: workload templates, and pods that no workload owns (a
/// pod a Deployment created is its template's business, so it is not reported twice).
/// </summary>
public static class PodSpecs
{

    public static List<PodSpecSite> Find(KubeSnapshot snapshot)
    {
        var sites = new List<PodSpecSite>();
        foreach (KubeObject workload in WorkloadKinds.All.SelectMany(snapshot.OfKind))
        {
            if (HasOwner(workload))
            {
                continue; // a Deployment's ReplicaSet, a CronJob's Job
            }

            JsonElement template = WorkloadKinds.Template(workload);
            if (template.ValueKind == JsonValueKind.Object && template.TryGet("spec"u8, out JsonElement spec) && spec.ValueKind == JsonValueKind.Object)
            {
                sites.Add(new PodSpecSite(workload, spec, WorkloadKinds.PodSpecPath(workload.Kind)));
            }
        }

        foreach (KubeObject pod in snapshot.OfKind("Pod"))
        {
            if (!HasOwner(pod) && pod.Json.TryGet("spec"u8, out JsonElement spec) && spec.ValueKind == JsonValueKind.Object)
            {
                sites.Add(new PodSpecSite(pod, spec, "spec"));
            }
        }

        return sites;
    }

    // A mirror pod (a static pod the kubelet shows) is owned by its Node, which holds no pod
    // template: the pod itself is where its settings live, so it is analysed as a pod.
    private static bool HasOwner(KubeObject o) =>
        o.Json.TryGet("metadata"u8, out JsonElement metadata) && metadata.TryGet("ownerReferences"u8, out JsonElement refs)
        && refs.ValueKind == JsonValueKind.Array && refs.EnumerateArray().Any(r => JsonRead.String(r, "kind") != "Node");
}
