using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Core.Workloads;

namespace KubeSecurity.Core.AttackPaths;

/// <summary>A way out of a workload's containers onto its node, with what proves it and the change that removes it.</summary>
internal sealed record EscapePrimitive(string TechniqueId, string Detail, string Fix, string RuleId, string? RepairRuleId);

/// <summary>
/// Which container escapes a pod template allows: privileged, a runtime socket (even read-only), a
/// writable hostPath of a system directory, SYS_ADMIN, SYS_MODULE, hostPID with SYS_PTRACE. Read from
/// the spec; a capability added by ALL counts as every capability.
/// </summary>
internal static class EscapePrimitives
{
    private static readonly string[] SensitiveRoots = { "/", "/etc", "/root", "/var/lib/kubelet", "/var/log", "/proc", "/sys", "/dev", "/boot", "/usr", "/lib", "/bin", "/sbin", "/home", "/var/lib/docker", "/var/lib/containerd" };
    private static readonly string[] Sockets = { "docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock" };
    private static readonly string[] SocketDirectories = { "/var/run", "/run", "/var/run/docker", "/run/containerd", "/var/run/containerd", "/run/crio", "/var/run/crio" };

    public static List<EscapePrimitive> Of(PodSpecSite site)
    {
        var found = new List<EscapePrimitive>();
        string owner = site.Owner.ToResourceRef().ToString();
        var capabilities = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool privileged = false;
        var writableMounts = new HashSet<string>(StringComparer.Ordinal);
        var anyMounts = new HashSet<string>(StringComparer.Ordinal);
        foreach ((JsonElement container, _, string name) in site.Containers())
        {
            JsonElement context = JsonRead.Property(container, "securityContext");
            privileged |= JsonRead.Property(context, "privileged").ValueKind == JsonValueKind.True;
            foreach (string capability in JsonRead.Strings(JsonRead.Property(context, "capabilities"), "add"))
            {
                capabilities.Add(capability.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? capability[4..] : capability);
            }

            foreach (JsonElement mount in JsonRead.Array(container, "volumeMounts"))
            {
                if (JsonRead.String(mount, "name") is string volume)
                {
                    anyMounts.Add(volume);
                    if (JsonRead.Property(mount, "readOnly").ValueKind != JsonValueKind.True)
                    {
                        writableMounts.Add(volume);
                    }
                }
            }
        }

        if (privileged)
        {
            found.Add(new EscapePrimitive(AttackTechniques.Privileged, "a container is privileged", $"remove privileged from {owner}", WorkloadRules.Privileged, WorkloadRules.Privileged));
        }

        bool all = capabilities.Contains("ALL");
        if (all || capabilities.Contains("SYS_ADMIN"))
        {
            found.Add(new EscapePrimitive(AttackTechniques.SysAdmin, all ? "a container adds ALL capabilities" : "a container adds SYS_ADMIN", $"drop SYS_ADMIN from {owner}", WorkloadRules.BaselineCapabilities, null));
        }

        if (all || capabilities.Contains("SYS_MODULE"))
        {
            found.Add(new EscapePrimitive(AttackTechniques.SysModule, all ? "a container adds ALL capabilities" : "a container adds SYS_MODULE", $"drop SYS_MODULE from {owner}", WorkloadRules.BaselineCapabilities, null));
        }

        if (JsonRead.Property(site.Spec, "hostPID").ValueKind == JsonValueKind.True && (all || capabilities.Contains("SYS_PTRACE")))
        {
            found.Add(new EscapePrimitive(AttackTechniques.HostPidPtrace, "hostPID with SYS_PTRACE", $"remove hostPID or SYS_PTRACE from {owner}", WorkloadRules.HostNamespaces, null));
        }

        foreach (JsonElement volume in JsonRead.Array(site.Spec, "volumes"))
        {
            string? path = JsonRead.String(JsonRead.Property(volume, "hostPath"), "path");
            string? name = JsonRead.String(volume, "name");
            if (path is null || name is null || !anyMounts.Contains(name))
            {
                continue;
            }

            string normalized = path.Length > 1 ? path.TrimEnd('/') : path;
            if (Sockets.Any(s => normalized.EndsWith("/" + s, StringComparison.Ordinal)) || SocketDirectories.Contains(normalized, StringComparer.Ordinal))
            {
                found.Add(new EscapePrimitive(AttackTechniques.RuntimeSocket, $"hostPath '{name}' mounts {path} (the container runtime's socket)", $"remove hostPath volume '{name}' ({path}) from {owner}", WorkloadRules.HostPath, null));
            }
            else if (writableMounts.Contains(name) && SensitiveRoots.Contains(normalized, StringComparer.Ordinal))
            {
                found.Add(new EscapePrimitive(AttackTechniques.HostPath, $"hostPath '{name}' mounts {path} writable", $"remove hostPath volume '{name}' ({path}) from {owner}, or mount it read-only", WorkloadRules.HostPath, null));
            }
        }

        return found;
    }
}
