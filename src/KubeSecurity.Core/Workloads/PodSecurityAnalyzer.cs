using System.Text.RegularExpressions;
using System.Globalization;
using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Workloads;

/// <summary>
/// The Pod Security Standards, evaluated per workload (pods a controller owns are reported once,
/// through the owner), plus Pod Security Admission labels, multi-tenancy basics and admission
/// webhooks that weaken enforcement.
/// </summary>
public static partial class PodSecurityAnalyzer
{
    private static readonly HashSet<string> BaselineCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    private static readonly HashSet<string> SafeSysctls = new(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
        "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    };

    private static readonly HashSet<string> SeLinuxTypes = new(StringComparer.Ordinal) { "container_t", "container_init_t", "container_kvm_t", "container_engine_t" };

    private static readonly HashSet<string> RestrictedVolumes = new(StringComparer.Ordinal)
    {
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
    };

    private static readonly HashSet<string> SystemNamespaces = new(StringComparer.Ordinal) { "kube-system", "kube-public", "kube-node-lease" };

    public static List<Finding> Analyze(KubeSnapshot snapshot, bool restricted)
    {
        var findings = new SharingFindings();
        var facts = new NamespaceFacts(snapshot);
        foreach (PodSpecSite site in PodSpecs.Find(snapshot))
        {
            WrongTypes(site, findings);
            Workload(site, restricted, findings);
            NakedPod(site, findings);
            Hardening(site, facts, findings);
            // Only a namespace written in the object: a manifest without one takes its namespace when applied.
            if (site.Owner.Namespace == "default")
            {
                Add(findings, WorkloadRules.DefaultNamespace, site, "runs in the default namespace.", "metadata.namespace");
            }
        }

        Namespaces(snapshot, findings);
        Webhooks(snapshot, findings);
        findings.StopSharing();
        return findings;
    }

    /// <summary>The findings of one analysis, with the texts they repeat (messages, field paths, container names) held once while it runs.</summary>
    private sealed class SharingFindings : List<Finding>
    {
        public FindingTexts? Texts { get; private set; } = new();

        public void StopSharing() => Texts = null;
    }

    // The message is composed when read: workloads yield tens of thousands of these findings.
    private static void Add(List<Finding> findings, string rule, PodSpecSite site, string message, string field, string? container = null)
    {
        if (findings is SharingFindings { Texts: FindingTexts texts })
        {
            message = texts.Share(message);
            field = texts.Share(field);
            container = container is null ? null : texts.Share(container);
        }

        ResourceRef owner = site.Owner.ToResourceRef();
        findings.Add(RuleCatalog.CreateFinding(rule, owner, new OwnerMessage(owner, message),
            container is null
                ? new EvidenceDictionary(1) { ["Field"] = field }
                : new EvidenceDictionary(2) { ["Field"] = field, ["Container"] = container }));
    }

    private sealed class OwnerMessage(ResourceRef owner, string message) : ComposedMessage
    {
        public override string Compose() => $"{owner}: {message}";
    }

    private static JsonElement Get(JsonElement obj, string name) => JsonRead.Property(obj, name);

    private static bool IsTrue(JsonElement obj, string name) => Get(obj, name).ValueKind == JsonValueKind.True;

    private static readonly string[] PodBooleans = { "hostNetwork", "hostPID", "hostIPC" };
    private static readonly string[] ContextBooleans = { "privileged", "allowPrivilegeEscalation", "runAsNonRoot", "readOnlyRootFilesystem" };
    private static readonly string[] ContainerLists = { "initContainers", "containers", "ephemeralContainers" };

    /// <summary>
    /// A security switch that is not a boolean (privileged: "yes please") is rejected by the API server
    /// and would otherwise be analysed silently as if unset: say so on the object.
    /// </summary>
    private static void WrongTypes(PodSpecSite site, List<Finding> findings)
    {
        void Check(JsonElement obj, string name, string path, string? container)
        {
            JsonElement value = Get(obj, name);
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False)
            {
                return;
            }

            string shown = value.ValueKind == JsonValueKind.String ? $"the string '{value.AsString()}'" : $"a {value.ValueKind.ToString().ToLowerInvariant()}";
            Add(findings, CoverageRules.InputNotRead, site,
                $"{path}.{name} is {shown}, not a boolean. The API server rejects this object; it was analysed as if {name} were unset.", $"{path}.{name}", container);
        }

        foreach (string name in PodBooleans)
        {
            Check(site.Spec, name, site.Path, null);
        }

        JsonElement podContext = Get(site.Spec, "securityContext");
        Check(podContext, "runAsNonRoot", $"{site.Path}.securityContext", null);
        Check(Get(podContext, "windowsOptions"), "hostProcess", $"{site.Path}.securityContext.windowsOptions", null);
        foreach (string list in ContainerLists)
        {
            JsonElement containers = Get(site.Spec, list);
            if (containers.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement container in containers.EnumerateArray())
            {
                string name = JsonRead.String(container, "name") ?? "?";
                string path = $"{site.Path}.{list}[{name}].securityContext";
                JsonElement context = Get(container, "securityContext");
                foreach (string field in ContextBooleans)
                {
                    Check(context, field, path, name);
                }

                Check(Get(context, "windowsOptions"), "hostProcess", $"{path}.windowsOptions", name);
            }
        }
    }

    private static void Workload(PodSpecSite site, bool restricted, List<Finding> findings)
    {
        JsonElement spec = site.Spec;
        JsonElement podContext = Get(spec, "securityContext");
        string at = site.Path;

        foreach (string host in new[] { "hostNetwork", "hostPID", "hostIPC" }.Where(h => IsTrue(spec, h)))
        {
            Add(findings, WorkloadRules.HostNamespaces, site, $"{host} is true.", $"{at}.{host}");
        }

        if (IsTrue(Get(podContext, "windowsOptions"), "hostProcess"))
        {
            Add(findings, WorkloadRules.HostProcess, site, "the pod runs as a Windows HostProcess.", $"{at}.securityContext.windowsOptions.hostProcess");
        }

        foreach (JsonElement sysctl in Get(podContext, "sysctls").ValueKind == JsonValueKind.Array ? Get(podContext, "sysctls").EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            if (JsonRead.String(sysctl, "name") is string name && !SafeSysctls.Contains(name))
            {
                Add(findings, WorkloadRules.Sysctls, site, $"sets the unsafe sysctl {name}.", $"{at}.securityContext.sysctls");
            }
        }

        foreach (JsonElement volume in Get(spec, "volumes").ValueKind == JsonValueKind.Array ? Get(spec, "volumes").EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            string name = JsonRead.String(volume, "name") ?? "?";
            if (Get(volume, "hostPath").ValueKind == JsonValueKind.Object)
            {
                Add(findings, WorkloadRules.HostPath, site, $"volume '{name}' mounts the node path {JsonRead.String(Get(volume, "hostPath"), "path")}.", $"{at}.volumes[{name}].hostPath");
            }

            string? type = volume.ValueKind == JsonValueKind.Object ? volume.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n != "name") : null;
            if (restricted && type is not null && !RestrictedVolumes.Contains(type) && type != "hostPath")
            {
                Add(findings, WorkloadRules.VolumeTypes, site, $"volume '{name}' is of type {type}.", $"{at}.volumes[{name}].{type}");
            }
        }

        ProfileChecks(site, podContext, $"{at}.securityContext", null, findings);
        foreach ((JsonElement container, string path, string name) in site.Containers())
        {
            Container(site, container, path, name, podContext, restricted, findings);
        }

        foreach ((string annotation, string value) in PodAnnotations(site))
        {
            // Baseline allows only runtime/default and localhost/<profile> here; anything else (unconfined, a typo) is refused by admission.
            if (annotation.StartsWith("container.apparmor.security.beta.kubernetes.io/", StringComparison.Ordinal) && value != "runtime/default" && !value.StartsWith("localhost/", StringComparison.Ordinal))
            {
                Add(findings, WorkloadRules.AppArmor, site,
                    value == "unconfined" ? $"annotation {annotation} is unconfined." : $"annotation {annotation} is '{value}'; Baseline allows only runtime/default or localhost/<profile>.",
                    $"metadata.annotations[{annotation}]");
            }
        }
    }

    /// <summary>A bare Pod: no owner reference, and not a kubelet's mirror of a static pod.</summary>
    private static void NakedPod(PodSpecSite site, List<Finding> findings)
    {
        KubeObject pod = site.Owner;
        if (pod.Kind != "Pod" || pod.Annotations.ContainsKey("kubernetes.io/config.mirror")
            || pod.Json.TryGet("metadata"u8, out JsonElement metadata) && metadata.TryGet("ownerReferences"u8, out JsonElement owners) && owners.ValueKind == JsonValueKind.Array && owners.Count() > 0)
        {
            return;
        }

        Add(findings, WorkloadRules.NakedPod, site, "no controller owns this pod: it is not recreated if its node fails.", "metadata.ownerReferences");
    }

    /// <summary>The annotations the pods get: the pod's own, or the workload template's.</summary>
    private static IReadOnlyDictionary<string, string> PodAnnotations(PodSpecSite site) =>
        site.Owner.Kind == "Pod" ? site.Owner.Annotations : WorkloadKinds.Template(site.Owner) is { ValueKind: JsonValueKind.Object } template
            && template.TryGet("metadata"u8, out JsonElement metadata) && metadata.TryGet("annotations"u8, out JsonElement annotations) && annotations.ValueKind == JsonValueKind.Object
            ? annotations.EnumerateObject().Where(a => a.Value.ValueKind == JsonValueKind.String).ToDictionary(a => a.Name, a => a.Value.AsString()!)
            : new Dictionary<string, string>();

    private static void ProfileChecks(PodSpecSite site, JsonElement context, string path, string? container, List<Finding> findings)
    {
        JsonElement seccomp = Get(context, "seccompProfile");
        if (JsonRead.String(seccomp, "type") == "Unconfined")
        {
            Add(findings, WorkloadRules.SeccompUnconfined, site, $"{(container is null ? "the pod" : $"container '{container}'")} sets seccompProfile Unconfined.", $"{path}.seccompProfile", container);
        }

        // Baseline allows the type unset, RuntimeDefault or Localhost; Unconfined and any other value are violations.
        if (JsonRead.String(Get(context, "appArmorProfile"), "type") is string appArmor && appArmor is not ("RuntimeDefault" or "Localhost"))
        {
            Add(findings, WorkloadRules.AppArmor, site,
                $"{(container is null ? "the pod" : $"container '{container}'")} sets appArmorProfile {(appArmor == "Unconfined" ? "Unconfined" : $"type '{appArmor}', which Baseline does not allow (RuntimeDefault or Localhost)")}.",
                $"{path}.appArmorProfile", container);
        }

        JsonElement selinux = Get(context, "seLinuxOptions");
        if (selinux.ValueKind == JsonValueKind.Object)
        {
            string? type = JsonRead.String(selinux, "type");
            if (JsonRead.String(selinux, "user") is { Length: > 0 } || JsonRead.String(selinux, "role") is { Length: > 0 } || (type is { Length: > 0 } && !SeLinuxTypes.Contains(type)))
            {
                Add(findings, WorkloadRules.SeLinux, site, $"{(container is null ? "the pod" : $"container '{container}'")} sets custom seLinuxOptions.", $"{path}.seLinuxOptions", container);
            }
        }

        if (Get(context, "runAsUser") is { ValueKind: JsonValueKind.Number } user && user.TryGetInt64(out long uid) && uid == 0)
        {
            Add(findings, WorkloadRules.RunAsRootUser, site, $"{(container is null ? "the pod" : $"container '{container}'")} sets runAsUser: 0.", $"{path}.runAsUser", container);
        }
    }

    private static void Container(PodSpecSite site, JsonElement container, string path, string name, JsonElement podContext, bool restricted, List<Finding> findings)
    {
        JsonElement context = Get(container, "securityContext");
        string at = $"{path}.securityContext";
        if (IsTrue(context, "privileged"))
        {
            Add(findings, WorkloadRules.Privileged, site, $"container '{name}' is privileged.", $"{at}.privileged", name);
        }

        if (IsTrue(Get(context, "windowsOptions"), "hostProcess"))
        {
            Add(findings, WorkloadRules.HostProcess, site, $"container '{name}' runs as a Windows HostProcess.", $"{at}.windowsOptions.hostProcess", name);
        }

        if (JsonRead.String(context, "procMount") is string procMount && procMount != "Default")
        {
            Add(findings, WorkloadRules.ProcMount, site, $"container '{name}' sets procMount {procMount}.", $"{at}.procMount", name);
        }

        JsonElement capabilities = Get(context, "capabilities");
        List<string> added = JsonRead.Strings(capabilities, "add").Select(c => c.StartsWith("CAP_", StringComparison.Ordinal) ? c[4..] : c).ToList();
        List<string> beyond = added.Where(c => !BaselineCapabilities.Contains(c)).ToList();
        if (beyond.Count > 0)
        {
            Add(findings, WorkloadRules.BaselineCapabilities, site, $"container '{name}' adds {string.Join(", ", beyond)}.", $"{at}.capabilities.add", name);
        }

        foreach (JsonElement port in Get(container, "ports").ValueKind == JsonValueKind.Array ? Get(container, "ports").EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            // Any number but 0 binds a host port; one that is not a valid port is still a host port asked for.
            JsonElement hostPort = Get(port, "hostPort");
            if (hostPort.ValueKind == JsonValueKind.Number && !(hostPort.TryGetInt32(out int number) && number == 0))
            {
                Add(findings, WorkloadRules.HostPorts, site, $"container '{name}' binds host port {hostPort.GetRawText()}.", $"{path}.ports", name);
            }
        }

        if (!IsTrue(context, "readOnlyRootFilesystem"))
        {
            Add(findings, WorkloadRules.WritableRootFilesystem, site, $"container '{name}' has a writable root filesystem (readOnlyRootFilesystem is not true).", $"{at}.readOnlyRootFilesystem", name);
        }

        ProfileChecks(site, context, at, name, findings);
        Images(site, container, path, name, findings);
        Limits(site, container, path, name, findings);
        if (!restricted)
        {
            return;
        }

        if (Get(context, "allowPrivilegeEscalation").ValueKind != JsonValueKind.False)
        {
            Add(findings, WorkloadRules.PrivilegeEscalation, site, $"container '{name}' does not set allowPrivilegeEscalation: false.", $"{at}.allowPrivilegeEscalation", name);
        }

        bool dropsAll = JsonRead.Strings(capabilities, "drop").Any(c => c is "ALL" or "all");
        List<string> restrictedAdds = added.Where(c => c != "NET_BIND_SERVICE").ToList();
        if (!dropsAll || restrictedAdds.Count > 0)
        {
            Add(findings, WorkloadRules.DropAllCapabilities, site,
                $"container '{name}' {(dropsAll ? string.Empty : "does not drop ALL capabilities")}{(!dropsAll && restrictedAdds.Count > 0 ? " and " : string.Empty)}{(restrictedAdds.Count > 0 ? $"adds {string.Join(", ", restrictedAdds)}" : string.Empty)}.",
                $"{at}.capabilities", name);
        }

        // Container settings override the pod's.
        JsonElement nonRoot = Get(context, "runAsNonRoot").ValueKind is JsonValueKind.True or JsonValueKind.False ? Get(context, "runAsNonRoot") : Get(podContext, "runAsNonRoot");
        if (nonRoot.ValueKind != JsonValueKind.True)
        {
            Add(findings, WorkloadRules.RunAsNonRoot, site, $"container '{name}' is not required to run as non-root (runAsNonRoot is not true on the container or the pod).", $"{at}.runAsNonRoot", name);
        }

        string? seccomp = JsonRead.String(Get(context, "seccompProfile"), "type") ?? JsonRead.String(Get(podContext, "seccompProfile"), "type");
        if (seccomp is not ("RuntimeDefault" or "Localhost"))
        {
            Add(findings, WorkloadRules.SeccompRequired, site, $"container '{name}' has no RuntimeDefault or Localhost seccomp profile (on the container or the pod).", $"{at}.seccompProfile", name);
        }
    }

    private static void Images(PodSpecSite site, JsonElement container, string path, string name, List<Finding> findings)
    {
        string? image = JsonRead.String(container, "image");
        if (image is null)
        {
            return;
        }

        // A digest pins the image only when it is one the OCI image spec registers: sha256 (64 hex) or sha512 (128 hex).
        int at = image.IndexOf('@', StringComparison.Ordinal);
        string? malformedDigest = at >= 0 && !PinningDigest().IsMatch(image.AsSpan(at + 1)) ? image[(at + 1)..] : null;
        bool digest = at >= 0 && malformedDigest is null;
        string last = (at >= 0 ? image[..at] : image).Split('/')[^1];
        string? tag = digest ? null : last.Contains(':', StringComparison.Ordinal) ? last[(last.IndexOf(':', StringComparison.Ordinal) + 1)..] : null;
        bool mutable = !digest && (tag is null || tag == "latest");
        if (malformedDigest is not null)
        {
            Add(findings, WorkloadRules.ImageNotPinned, site, $"container '{name}' uses {image}, whose digest '{malformedDigest}' is not a valid sha256 (64 hex digits) or sha512 (128 hex digits) digest, so it pins nothing.", $"{path}.image", name);
        }
        else if (!digest && !mutable)
        {
            Add(findings, WorkloadRules.ImageNotPinned, site, $"container '{name}' uses {image}, a tag rather than a digest.", $"{path}.image", name);
        }

        if (mutable)
        {
            Add(findings, WorkloadRules.MutableImageTag, site, $"container '{name}' uses {(tag is null ? "an image without a tag" : "the :latest tag")} ({image}).", $"{path}.image", name);
        }

        string? policy = JsonRead.String(container, "imagePullPolicy");
        if (!digest && policy is "IfNotPresent" or "Never")
        {
            Add(findings, WorkloadRules.PullPolicy, site, $"container '{name}' pulls the mutable {image} with imagePullPolicy {policy}.", $"{path}.imagePullPolicy", name);
        }
    }

    private static void Limits(PodSpecSite site, JsonElement container, string path, string name, List<Finding> findings)
    {
        JsonElement limits = Get(Get(container, "resources"), "limits");
        List<string> missing = new[] { "cpu", "memory" }.Where(r => Get(limits, r).ValueKind == JsonValueKind.Undefined).ToList();
        if (missing.Count > 0)
        {
            Add(findings, WorkloadRules.NoResourceLimits, site, $"container '{name}' has no {string.Join(" or ", missing)} limit.", $"{path}.resources.limits", name);
        }
    }

    private static void Namespaces(KubeSnapshot snapshot, List<Finding> findings)
    {
        var quotas = snapshot.OfKind("ResourceQuota").Select(q => q.Namespace).ToHashSet(StringComparer.Ordinal);
        var limitRanges = snapshot.OfKind("LimitRange").Select(q => q.Namespace).ToHashSet(StringComparer.Ordinal);
        var withWorkloads = PodSpecs.Find(snapshot).Select(s => s.Namespace).ToHashSet(StringComparer.Ordinal);
        foreach (KubeObject ns in snapshot.OfKind("Namespace"))
        {
            ResourceRef resource = ns.ToResourceRef();
            bool system = SystemNamespaces.Contains(ns.Name);
            string? enforce = ns.Labels.GetValueOrDefault("pod-security.kubernetes.io/enforce");
            string? audit = ns.Labels.GetValueOrDefault("pod-security.kubernetes.io/audit");
            string? warn = ns.Labels.GetValueOrDefault("pod-security.kubernetes.io/warn");
            if (enforce is null && !system)
            {
                findings.Add(RuleCatalog.CreateFinding(WorkloadRules.PsaEnforceMissing, resource, $"Namespace {ns.Name} has no pod-security.kubernetes.io/enforce label.",
                    new EvidenceDictionary { ["Labels"] = string.Join(", ", ns.Labels.Where(l => l.Key.StartsWith("pod-security.kubernetes.io/", StringComparison.Ordinal)).Select(l => $"{l.Key}={l.Value}")) }));
            }

            if (enforce == "privileged" && !system)
            {
                findings.Add(RuleCatalog.CreateFinding(WorkloadRules.PsaPrivileged, resource, $"Namespace {ns.Name} enforces the privileged level: any pod may run there."));
            }

            if (enforce is null && (audit is not null || warn is not null))
            {
                findings.Add(RuleCatalog.CreateFinding(WorkloadRules.PsaAuditWithoutEnforce, resource,
                    $"Namespace {ns.Name} {(audit is not null ? $"audits at {audit}" : string.Empty)}{(audit is not null && warn is not null ? " and " : string.Empty)}{(warn is not null ? $"warns at {warn}" : string.Empty)} but enforces nothing."));
            }

            if (!system && withWorkloads.Contains(ns.Name) && (!quotas.Contains(ns.Name) || !limitRanges.Contains(ns.Name)))
            {
                string missing = string.Join(" and ", new[] { quotas.Contains(ns.Name) ? null : "ResourceQuota", limitRanges.Contains(ns.Name) ? null : "LimitRange" }.Where(m => m is not null));
                findings.Add(RuleCatalog.CreateFinding(WorkloadRules.NoQuotaOrLimitRange, resource, $"Namespace {ns.Name} runs workloads without a {missing}."));
            }
        }
    }

    private static void Webhooks(KubeSnapshot snapshot, List<Finding> findings)
    {
        foreach (KubeObject configuration in snapshot.OfKind("ValidatingWebhookConfiguration").Concat(snapshot.OfKind("MutatingWebhookConfiguration")))
        {
            JsonElement webhooks = Get(configuration.Json, "webhooks");
            foreach (JsonElement webhook in webhooks.ValueKind == JsonValueKind.Array ? webhooks.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                string name = JsonRead.String(webhook, "name") ?? "?";
                var evidence = new EvidenceDictionary { ["Webhook"] = name };
                if (JsonRead.String(webhook, "failurePolicy") == "Ignore")
                {
                    findings.Add(RuleCatalog.CreateFinding(WorkloadRules.WebhookFailOpen, configuration.ToResourceRef(),
                        $"Webhook {name} of {configuration.ToResourceRef()} has failurePolicy: Ignore; when it is unavailable, requests are admitted unchecked.", evidence));
                }

                var exemptions = new List<string>();
                foreach (string selector in new[] { "namespaceSelector", "objectSelector" })
                {
                    JsonElement value = Get(webhook, selector);
                    if (value.ValueKind == JsonValueKind.Object && (value.TryGet("matchExpressions"u8, out JsonElement e) && e.Count() > 0 || value.TryGet("matchLabels"u8, out JsonElement m) && m.ValueKind == JsonValueKind.Object && m.EnumerateObject().Any()))
                    {
                        exemptions.Add($"{selector} {value.GetRawText()}");
                    }
                }

                if (exemptions.Count > 0)
                {
                    findings.Add(RuleCatalog.CreateFinding(WorkloadRules.WebhookExemptions, configuration.ToResourceRef(),
                        $"Webhook {name} of {configuration.ToResourceRef()} applies only where {string.Join(" and ", exemptions)} match; everything else is not checked.",
                        new Dictionary<string, string>(evidence) { ["Selectors"] = string.Join("; ", exemptions) }));
                }

                JsonElement timeout = Get(webhook, "timeoutSeconds");
                if (timeout.ValueKind == JsonValueKind.Number && !(timeout.TryGetInt32(out int seconds) && seconds <= 10))
                {
                    findings.Add(RuleCatalog.CreateFinding(WorkloadRules.WebhookTimeout, configuration.ToResourceRef(),
                        $"Webhook {name} of {configuration.ToResourceRef()} waits up to {timeout.GetRawText()} s.", evidence));
                }
            }
        }
    }

    [GeneratedRegex(@"^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$", RegexOptions.CultureInvariant)]
    private static partial Regex PinningDigest();
}
