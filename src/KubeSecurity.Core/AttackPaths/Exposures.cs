using System.Net;
using System.Text.Json;
using KubeSecurity.Core.Network;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Selectors;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.AttackPaths;

/// <summary>How the Internet reaches one workload: the technique, what exposes it, and the change that removes it.</summary>
internal sealed record Exposure(string Workload, string TechniqueId, string Description, IReadOnlyList<string> Evidence, string Fix, string FixTarget, string? Caveat);

/// <summary>
/// Workloads reachable from outside the cluster: LoadBalancer and NodePort Services, Ingress routes
/// (through the controller's pods, when they are in the input) and host ports, each checked against
/// the network model from an address outside every policy's ipBlocks.
/// </summary>
internal static class Exposures
{
    // TEST-NET-3: an address no cluster and no policy uses, standing for "the Internet".
    private static readonly NetworkEndpoint Outside = NetworkEndpoint.External(IPAddress.Parse("203.0.113.77"), "Internet");

    public static List<Exposure> Find(KubeSnapshot snapshot, NetworkModel network, Func<string, PodClass?> classOf, IReadOnlyDictionary<string, List<Workloads.PodSpecSite>> sitesByWorkload)
    {
        var exposures = new List<Exposure>();
        var exposedClasses = new List<PodClass>();
        var services = snapshot.OfKind("Service").ToList();
        foreach (KubeObject service in services)
        {
            JsonElement spec = JsonRead.Property(service.Json, "spec");
            string? type = JsonRead.String(spec, "type");
            if (type is not ("LoadBalancer" or "NodePort"))
            {
                continue;
            }

            string technique = type == "LoadBalancer" ? AttackTechniques.LoadBalancer : AttackTechniques.NodePort;
            foreach ((PodClass pods, PortSet ports, string portText) in Backends(network, service, spec, null))
            {
                exposedClasses.Add(pods);
                PortSet allowed = network.AllowedPorts(Outside, NetworkEndpoint.Of(pods)).Intersect(ports);
                if (allowed.IsEmpty)
                {
                    continue;
                }

                foreach (ResourceRef workload in pods.Workloads)
                {
                    exposures.Add(new Exposure(workload.ToString(), technique, $"Reach {workload} from the Internet through {type} {service.ToResourceRef()} ({portText})",
                        new[] { $"{service.ToResourceRef()} type {type}", $"allowed from outside the cluster on {allowed}" }, $"make {service.ToResourceRef()} internal or isolate {workload}'s ingress", service.ToResourceRef().ToString(), null));
                }
            }
        }

        foreach (KubeObject ingress in snapshot.OfKind("Ingress"))
        {
            foreach ((string serviceName, JsonElement port, string route) in Routes(ingress))
            {
                KubeObject? service = services.FirstOrDefault(s => s.Namespace == ingress.Namespace && s.Name == serviceName);
                if (service is null)
                {
                    continue;
                }

                foreach ((PodClass pods, PortSet ports, string portText) in Backends(network, service, JsonRead.Property(service.Json, "spec"), port))
                {
                    List<PodClass> controllers = exposedClasses.Where(c => c.Id != pods.Id).ToList();
                    string? caveat = controllers.Count == 0 ? $"the ingress controller is not in the input: {ingress.ToResourceRef()} is assumed to reach {pods} as routed" : null;
                    PodClass? via = controllers.FirstOrDefault(c => !network.AllowedPorts(NetworkEndpoint.Of(c), NetworkEndpoint.Of(pods)).Intersect(ports).IsEmpty);
                    if (controllers.Count > 0 && via is null)
                    {
                        continue;
                    }

                    foreach (ResourceRef workload in pods.Workloads)
                    {
                        exposures.Add(new Exposure(workload.ToString(), AttackTechniques.Ingress, $"Reach {workload} from the Internet through {ingress.ToResourceRef()} ({route} -> Service {serviceName}, {portText})",
                            new[] { $"{ingress.ToResourceRef()} routes {route} to Service {serviceName}", via is null ? "controller assumed" : $"the controller's pods ({via}) may connect" },
                            $"remove the route {route} of {ingress.ToResourceRef()} or put authentication in front of it", ingress.ToResourceRef().ToString(), caveat));
                    }
                }
            }
        }

        foreach ((string workload, List<Workloads.PodSpecSite> sites) in sitesByWorkload)
        {
            foreach (Workloads.PodSpecSite site in sites)
            {
                foreach ((JsonElement container, _, string name) in site.Containers())
                {
                    foreach (JsonElement port in JsonRead.Array(container, "ports"))
                    {
                        if (PortOf(JsonRead.Property(port, "hostPort")) is int hostPort)
                        {
                            exposures.Add(new Exposure(workload, AttackTechniques.HostPort, $"Reach {workload} on host port {hostPort} of its nodes",
                                new[] { $"container '{name}' binds hostPort {hostPort}" }, $"remove hostPort {hostPort} from {workload}", workload,
                                "whether the nodes' addresses are reachable from outside depends on firewalls the snapshot does not show"));
                        }
                    }
                }
            }
        }

        return exposures;
    }

    /// <summary>The pod classes a Service selects, the target ports (resolved per class) and the ports in words.</summary>
    private static IEnumerable<(PodClass Pods, PortSet Ports, string Text)> Backends(NetworkModel network, KubeObject service, JsonElement spec, JsonElement? only)
    {
        // A Service without a selector (or with an empty one) selects no pods.
        LabelSelector selector = LabelSelector.ParseMap(JsonRead.Property(spec, "selector"));
        if (selector.IsEmpty || selector.Problem is not null)
        {
            yield break;
        }

        var servicePorts = JsonRead.Array(spec, "ports").Where(p => only is not JsonElement o || Matches(p, o)).ToList();
        foreach (PodClass pods in network.Classes.Where(c => c.Namespace == service.Namespace && c.Workloads.Count > 0 && selector.Matches(c.Labels)))
        {
            PortSet ports = PortSet.None;
            var text = new List<string>();
            foreach (JsonElement port in servicePorts)
            {
                string protocol = JsonRead.String(port, "protocol") ?? "TCP";
                JsonElement target = JsonRead.Property(port, "targetPort");
                int? number = PortOf(JsonRead.Property(port, "port"));
                PortSet set = target.ValueKind switch
                {
                    JsonValueKind.Number => PortOf(target) is int t ? PortSet.Of(protocol, t, t) : PortSet.None,
                    JsonValueKind.String when int.TryParse(target.AsString(), out int n) => n is >= 1 and <= 65535 ? PortSet.Of(protocol, n, n) : PortSet.None,
                    JsonValueKind.String => pods.Resolve(target.AsString()!, protocol),
                    _ => number is int n2 ? PortSet.Of(protocol, n2, n2) : PortSet.None,
                };
                ports = ports.Union(set);
                text.Add($"port {number}{(target.ValueKind == JsonValueKind.Undefined ? string.Empty : $" -> {target}")}/{protocol}");
            }

            if (!ports.IsEmpty)
            {
                yield return (pods, ports, string.Join(", ", text));
            }
        }
    }

    private static bool Matches(JsonElement servicePort, JsonElement backendPort) =>
        JsonRead.Property(backendPort, "number") is { ValueKind: JsonValueKind.Number } n
            ? PortOf(JsonRead.Property(servicePort, "port")) is int p && p == PortOf(n)
            : JsonRead.String(backendPort, "name") is string name && JsonRead.String(servicePort, "name") == name;

    /// <summary>A port number from hostile input: an integer from 1 to 65535, or null.</summary>
    internal static int? PortOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int port) && port is >= 1 and <= 65535 ? port : null;

    private static IEnumerable<(string Service, JsonElement Port, string Route)> Routes(KubeObject ingress)
    {
        JsonElement spec = JsonRead.Property(ingress.Json, "spec");
        JsonElement fallback = JsonRead.Property(JsonRead.Property(spec, "defaultBackend"), "service");
        if (JsonRead.String(fallback, "name") is string defaultService)
        {
            yield return (defaultService, JsonRead.Property(fallback, "port"), "the default backend");
        }

        foreach (JsonElement rule in JsonRead.Array(spec, "rules"))
        {
            string host = JsonRead.String(rule, "host") ?? "*";
            foreach (JsonElement path in JsonRead.Array(JsonRead.Property(rule, "http"), "paths"))
            {
                JsonElement backend = JsonRead.Property(JsonRead.Property(path, "backend"), "service");
                if (JsonRead.String(backend, "name") is string name)
                {
                    yield return (name, JsonRead.Property(backend, "port"), $"{host}{JsonRead.String(path, "path") ?? "/"}");
                }
            }
        }
    }
}
