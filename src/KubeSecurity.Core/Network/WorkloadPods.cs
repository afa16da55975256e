using System.Net;
using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>One pod, or the pod template of a workload no pod of which is in the snapshot.</summary>
internal sealed record PodInstance(string Namespace, string? PodName, ResourceRef Workload, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<NamedPort> NamedPorts, bool HostNetwork, IPAddress? Address);

/// <summary>
/// Finds the pods a snapshot implies: the Pods it holds, attributed to the workload that owns them
/// (a Deployment through its ReplicaSet, a CronJob through its Job), and the templates of workloads
/// whose pods were not collected (manifests rarely contain pods).
/// </summary>
internal static class WorkloadPods
{

    /// <param name="notes">Where pods grouped by a guess (an ownerReference without a kind) are noted, when given.</param>
    public static List<PodInstance> Find(KubeSnapshot snapshot, List<string>? notes = null)
    {
        var owners = new Dictionary<(string Kind, string? Ns, string Name), ResourceRef?>();
        var kindsByName = new Dictionary<(string? Ns, string Name), List<string>>();
        foreach (KubeObject o in WorkloadKinds.All.SelectMany(snapshot.OfKind))
        {
            owners[(o.Kind, o.Namespace, o.Name)] = Owner(o.Json);
            if (!kindsByName.TryGetValue((o.Namespace, o.Name), out var kinds))
            {
                kindsByName[(o.Namespace, o.Name)] = kinds = new List<string>();
            }

            kinds.Add(o.Kind);
        }

        // An ownerReference without a kind (invalid, but seen in the wild) is resolved by the owner's name.
        ResourceRef? Resolve(ResourceRef? owner, string ns, KubeObject of)
        {
            if (owner is null || owner.Kind.Length > 0)
            {
                return owner;
            }

            string kind = kindsByName.TryGetValue((ns, owner.Name), out var found) && found.Count == 1 ? found[0] : "Owner";
            notes?.Add($"{of.ToResourceRef()} names its owner '{owner.Name}' without a kind; grouped under {kind}/{owner.Name} by name.");
            return owner with { Kind = kind };
        }

        var instances = new List<PodInstance>();
        var workloadsWithPods = new HashSet<ResourceRef>();
        foreach (KubeObject pod in snapshot.OfKind("Pod"))
        {
            string ns = pod.Namespace ?? "default";
            ResourceRef workload = TopOwner(Resolve(Owner(pod.Json), ns, pod), ns, owners) ?? pod.ToResourceRef() with { Namespace = ns };
            workloadsWithPods.Add(workload);
            JsonElement spec = pod.Json.TryGet("spec"u8, out JsonElement s) ? s : default;
            string? ip = pod.Json.TryGet("status"u8, out JsonElement status) ? JsonRead.String(status, "podIP") : null;
            instances.Add(new PodInstance(ns, pod.Name, workload, pod.Labels, Ports(spec), HostNetwork(spec),
                ip is not null && IPAddress.TryParse(ip, out IPAddress? address) ? address : null));
        }

        foreach (KubeObject workload in WorkloadKinds.All.SelectMany(snapshot.OfKind))
        {
            ResourceRef reference = workload.ToResourceRef() with { Namespace = workload.Namespace ?? "default" };
            // Owned workloads (a Deployment's ReplicaSets) are represented by their owner.
            if (workloadsWithPods.Contains(reference) || TopOwner(Owner(workload.Json), reference.Namespace!, owners) is not null)
            {
                continue;
            }

            JsonElement template = WorkloadKinds.Template(workload);
            if (template.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            IReadOnlyDictionary<string, string> labels = template.TryGet("metadata"u8, out JsonElement metadata) ? Labels(metadata) : new Dictionary<string, string>();
            JsonElement spec = template.TryGet("spec"u8, out JsonElement s) ? s : default;
            instances.Add(new PodInstance(reference.Namespace!, null, reference, labels, Ports(spec), HostNetwork(spec), null));
        }

        return instances;
    }

    private static ResourceRef? Owner(JsonElement obj)
    {
        if (!obj.TryGet("metadata"u8, out JsonElement metadata) || !metadata.TryGet("ownerReferences"u8, out JsonElement refs) || refs.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        // The controller owner first; an owner without a kind comes back with an empty kind to be resolved by name.
        ResourceRef? first = null;
        foreach (JsonElement owner in refs.EnumerateArray())
        {
            string? name = JsonRead.String(owner, "name");
            // A mirror pod's owner is its Node, not a workload: the pod stands for itself.
            if (name is null || JsonRead.String(owner, "kind") == "Node")
            {
                continue;
            }

            var reference = new ResourceRef(JsonRead.String(owner, "kind") ?? string.Empty, null, name);
            if (owner.TryGet("controller"u8, out JsonElement controller) && controller.ValueKind == JsonValueKind.True)
            {
                return reference;
            }

            first ??= reference;
        }

        return first;
    }

    private static ResourceRef? TopOwner(ResourceRef? owner, string ns, Dictionary<(string Kind, string? Ns, string Name), ResourceRef?> owners)
    {
        ResourceRef? top = null;
        for (int depth = 0; owner is not null && depth < 5; depth++)
        {
            top = owner with { Namespace = ns };
            owner = owners.TryGetValue((owner.Kind, ns, owner.Name), out ResourceRef? next) ? next : null;
            if (owner is not null && owner.Kind.Length == 0)
            {
                // A kindless owner further up: the only workload of that name, if there is one.
                ResourceRef nameOnly = owner;
                owner = owners.Keys.Where(k => k.Ns == ns && k.Name == nameOnly.Name).Select(k => new ResourceRef(k.Kind, null, k.Name)).SingleOrDefault()
                    ?? nameOnly with { Kind = "Owner" };
            }
        }

        return top;
    }

    private static bool HostNetwork(JsonElement spec) =>
        spec.ValueKind == JsonValueKind.Object && spec.TryGet("hostNetwork"u8, out JsonElement h) && h.ValueKind == JsonValueKind.True;

    private static List<NamedPort> Ports(JsonElement spec)
    {
        var ports = new List<NamedPort>();
        if (spec.ValueKind != JsonValueKind.Object)
        {
            return ports;
        }

        foreach (string field in new[] { "containers", "initContainers" })
        {
            if (!spec.TryGet(field, out JsonElement containers) || containers.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement container in containers.EnumerateArray())
            {
                if (!container.TryGet("ports"u8, out JsonElement list) || list.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (JsonElement port in list.EnumerateArray())
                {
                    string? name = JsonRead.String(port, "name");
                    // A port that is not a valid number (hostile or broken input) names nothing.
                    if (name is not null && port.TryGet("containerPort"u8, out JsonElement number) && number.ValueKind == JsonValueKind.Number
                        && number.TryGetInt32(out int value) && value is >= 1 and <= PortSet.MaxPort)
                    {
                        ports.Add(new NamedPort(name, value, JsonRead.String(port, "protocol") ?? "TCP"));
                    }
                }
            }
        }

        return ports;
    }

    internal static IReadOnlyDictionary<string, string> Labels(JsonElement metadata)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata.TryGet("labels"u8, out JsonElement map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty label in map.EnumerateObject())
            {
                labels[label.Name] = label.Value.ValueKind == JsonValueKind.String ? label.Value.AsString()! : label.Value.GetRawText();
            }
        }

        return labels;
    }
}
