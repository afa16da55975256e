using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.ControlPlane;

/// <summary>One control-plane component as its pod runs it: which component, where, and its flags.</summary>
public sealed record ControlPlaneComponent(string Name, ResourceRef Pod, string? Node, IReadOnlyDictionary<string, string> Flags)
{
    public bool Has(string flag) => Flags.ContainsKey(flag);

    public string? Get(string flag) => Flags.TryGetValue(flag, out string? value) ? value : null;
}

/// <summary>
/// Finds kube-apiserver, kube-controller-manager, kube-scheduler and etcd in a snapshot: the mirror
/// pods a kubeadm-style control plane shows in kube-system (live), or static pod manifests (offline,
/// in kube-system or without a namespace), by the binary their container runs. Flags are read as the components' flag parser reads them
/// (--name=value, --name value, a bare --name is true; the last occurrence wins), from command and
/// args, through a "sh -c" wrapper, and for etcd also from its ETCD_* environment variables.
/// </summary>
public static class ControlPlaneComponents
{
    public const string ApiServer = "kube-apiserver";
    public const string ControllerManager = "kube-controller-manager";
    public const string Scheduler = "kube-scheduler";
    public const string Etcd = "etcd";

    public static readonly string[] All = { ApiServer, ControllerManager, Scheduler, Etcd };

    public static List<ControlPlaneComponent> Find(KubeSnapshot snapshot)
    {
        var found = new List<ControlPlaneComponent>();
        foreach (KubeObject pod in snapshot.OfKind("Pod"))
        {
            // Control-plane static pods live in kube-system (a manifest may leave the namespace out); an
            // application's own etcd in another namespace is not the cluster's.
            if (pod.Namespace is not (null or "kube-system"))
            {
                continue;
            }

            if (!pod.Json.TryGet("spec"u8, out JsonElement spec) || !spec.TryGet("containers"u8, out JsonElement containers) || containers.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement container in containers.EnumerateArray())
            {
                List<string> words = JsonRead.Strings(container, "command").Concat(JsonRead.Strings(container, "args")).ToList();
                words = Unwrap(words);
                string? component = ComponentOf(words, JsonRead.String(container, "image"));
                if (component is null)
                {
                    continue;
                }

                Dictionary<string, string> flags = Flags(words);
                if (component == Etcd && container.TryGet("env"u8, out JsonElement env) && env.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement variable in env.EnumerateArray())
                    {
                        // etcd reads ETCD_CLIENT_CERT_AUTH as --client-cert-auth; a flag on the command line wins.
                        if (JsonRead.String(variable, "name") is string name && name.StartsWith("ETCD_", StringComparison.Ordinal) && JsonRead.String(variable, "value") is string value)
                        {
                            flags.TryAdd(name[5..].ToLowerInvariant().Replace('_', '-'), value);
                        }
                    }
                }

                string? node = spec.TryGet("nodeName"u8, out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.AsString() : null;
                found.Add(new ControlPlaneComponent(component, pod.ToResourceRef() with { Namespace = pod.Namespace ?? "default" }, node, flags));
                break;
            }
        }

        return found;
    }

    // "sh -c 'kube-apiserver --a=b ...'": the script's words are the command line.
    private static List<string> Unwrap(List<string> words)
    {
        int c = words.IndexOf("-c");
        if (words.Count >= 3 && c is 1 or 2 && Path.GetFileName(words[0]) is "sh" or "bash" or "ash" or "dash")
        {
            return words.Skip(c + 1).SelectMany(w => w.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Select(w => w.Trim('\'', '"')).ToList();
        }

        return words;
    }

    private static string? ComponentOf(List<string> words, string? image)
    {
        if (words.Count > 0 && !words[0].StartsWith('-'))
        {
            string binary = Path.GetFileName(words[0]);
            if (All.Contains(binary))
            {
                return binary;
            }
        }

        // Only args, no command: the image names the component (registry.k8s.io/kube-apiserver:v1.31.0).
        if (words.Count > 0 && words[0].StartsWith("--", StringComparison.Ordinal) && image is not null)
        {
            string name = Path.GetFileName(image.Split('@')[0]).Split(':')[0];
            return All.FirstOrDefault(c => name == c || name.EndsWith("-" + c, StringComparison.Ordinal));
        }

        return null;
    }

    private static Dictionary<string, string> Flags(List<string> words)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length == 2)
            {
                continue;
            }

            int equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                flags[word[2..equals]] = word[(equals + 1)..];
            }
            else if (i + 1 < words.Count && !words[i + 1].StartsWith('-'))
            {
                flags[word[2..]] = words[++i];
            }
            else
            {
                flags[word[2..]] = "true";
            }
        }

        return flags;
    }
}
