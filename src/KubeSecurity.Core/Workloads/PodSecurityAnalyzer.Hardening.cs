using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Workloads;

/// <summary>Hardening checks beyond the Pod Security Standards: resource requests, service accounts that do not exist, deprecated fields.</summary>
public static partial class PodSecurityAnalyzer
{
    private const string SeccompPodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
    private const string SeccompContainerAnnotation = "container.seccomp.security.alpha.kubernetes.io/";
    private const string AppArmorContainerAnnotation = "container.apparmor.security.beta.kubernetes.io/";

    /// <summary>What the input knows of a namespace: the requests its LimitRanges default, and its service accounts.</summary>
    private sealed class NamespaceFacts(KubeSnapshot snapshot)
    {
        private readonly Dictionary<string, HashSet<string>> defaultRequests = LimitRangeDefaults(snapshot);
        private readonly Dictionary<string, HashSet<string>> accounts = snapshot.OfKind("ServiceAccount")
            .GroupBy(sa => sa.Namespace ?? "default", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(sa => sa.Name).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        private readonly bool liveAccounts = snapshot.Source != SnapshotSource.Files && snapshot.HasKind("ServiceAccount") && snapshot.OfKind("ServiceAccount").Count > 0;

        public bool DefaultsRequest(string ns, string resource) => defaultRequests.TryGetValue(ns, out HashSet<string>? set) && set.Contains(resource);

        /// <summary>
        /// False when the account is known not to exist: a collected cluster lists every account, and
        /// manifests that declare accounts for a namespace declare the ones its workloads use. Null
        /// when the input cannot tell (manifests with no accounts for that namespace).
        /// </summary>
        public bool? AccountExists(string ns, string name)
        {
            if (name == "default")
            {
                return true; // created in every namespace by the service account controller
            }

            bool declaredHere = accounts.TryGetValue(ns, out HashSet<string>? names);
            if (declaredHere && names!.Contains(name))
            {
                return true;
            }

            return liveAccounts || declaredHere ? false : null;
        }

        // LimitRanger gives a container without requests the LimitRange's defaultRequest, and the API
        // defaults defaultRequest to default (the limit) when only that is set.
        private static Dictionary<string, HashSet<string>> LimitRangeDefaults(KubeSnapshot snapshot)
        {
            var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (KubeObject range in snapshot.OfKind("LimitRange"))
            {
                foreach (JsonElement limit in JsonRead.Array(Get(range.Json, "spec"), "limits"))
                {
                    if (JsonRead.String(limit, "type") != "Container")
                    {
                        continue;
                    }

                    foreach (string field in new[] { "defaultRequest", "default" })
                    {
                        if (Get(limit, field) is { ValueKind: JsonValueKind.Object } values)
                        {
                            string ns = range.Namespace ?? "default";
                            if (!result.TryGetValue(ns, out HashSet<string>? set))
                            {
                                result[ns] = set = new HashSet<string>(StringComparer.Ordinal);
                            }

                            set.UnionWith(values.EnumerateObject().Select(p => p.Name));
                        }
                    }
                }
            }

            return result;
        }
    }

    private static void Hardening(PodSpecSite site, NamespaceFacts facts, List<Finding> findings)
    {
        Requests(site, facts, findings);
        MissingServiceAccount(site, facts, findings);
        DeprecatedFields(site, findings);
    }

    /// <summary>Containers the scheduler places without CPU or memory requests (explicit, defaulted from limits, or from a LimitRange).</summary>
    private static void Requests(PodSpecSite site, NamespaceFacts facts, List<Finding> findings)
    {
        foreach ((JsonElement container, string path, string name) in site.Containers())
        {
            if (path.Contains(".ephemeralContainers[", StringComparison.Ordinal))
            {
                continue; // ephemeral containers may not set resources
            }

            JsonElement resources = Get(container, "resources");
            List<string> missing = new[] { "cpu", "memory" }
                .Where(r => Get(Get(resources, "requests"), r).ValueKind == JsonValueKind.Undefined
                    && Get(Get(resources, "limits"), r).ValueKind == JsonValueKind.Undefined // requests default to limits
                    && !facts.DefaultsRequest(site.Namespace, r))
                .ToList();
            if (missing.Count > 0)
            {
                Add(findings, WorkloadRules.NoResourceRequests, site,
                    $"container '{name}' has no {string.Join(" or ", missing)} request (none set, no limit to default from, no LimitRange default in namespace {site.Namespace}).",
                    $"{path}.resources.requests", name);
            }
        }
    }

    private static void MissingServiceAccount(PodSpecSite site, NamespaceFacts facts, List<Finding> findings)
    {
        string account = site.ServiceAccount;
        if (facts.AccountExists(site.Namespace, account) == false)
        {
            Add(findings, WorkloadRules.MissingServiceAccount, site,
                $"it runs as service account '{account}', which does not exist in namespace {site.Namespace}: its pods are rejected until someone creates it, and whoever does decides what the workload may do.",
                $"{site.Path}.serviceAccountName");
        }
    }

    private static void DeprecatedFields(PodSpecSite site, List<Finding> findings)
    {
        var used = new List<(string Field, string Instead)>();
        if (site.Spec.TryGet("serviceAccount"u8, out _))
        {
            used.Add(($"{site.Path}.serviceAccount", "spec.serviceAccountName (serviceAccount is a deprecated alias)"));
        }

        foreach (string annotation in PodAnnotations(site).Keys.Order(StringComparer.Ordinal))
        {
            if (annotation == SeccompPodAnnotation || annotation.StartsWith(SeccompContainerAnnotation, StringComparison.Ordinal))
            {
                used.Add(($"annotation {annotation}", "securityContext.seccompProfile (the seccomp annotations are deprecated since Kubernetes 1.19 and no longer applied from 1.27)"));
            }
            else if (annotation.StartsWith(AppArmorContainerAnnotation, StringComparison.Ordinal))
            {
                used.Add(($"annotation {annotation}", "securityContext.appArmorProfile (the AppArmor annotations are deprecated since Kubernetes 1.30)"));
            }
        }

        foreach ((string field, string instead) in used)
        {
            Add(findings, WorkloadRules.DeprecatedField, site, $"uses the deprecated {field}; use {instead}.", field);
        }
    }
}
