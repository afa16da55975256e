using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.ControlPlane;

/// <summary>
/// One kubelet configuration and where it came from: a KubeletConfiguration file, the kubeadm
/// kubelet-config ConfigMap (the configuration kubeadm gives every node; a node's own flags can
/// still override it), or a node's /configz answer. Fields a file leaves out take the
/// kubelet.config.k8s.io/v1beta1 defaults.
/// </summary>
public sealed record KubeletConfigurationSource(ResourceRef Source, string Origin, JsonElement Configuration);

/// <summary>The kubelet configurations an input holds.</summary>
public static class KubeletConfigurations
{
    public const string Kind = "KubeletConfiguration";

    /// <summary>Nodes' /configz answers, and the kubeadm ConfigMaps in kube-system: kubelet-config, and kubelet-config-1.NN of older kubeadm releases.</summary>
    public static List<KubeletConfigurationSource> Find(KubeSnapshot snapshot, List<string> problems)
    {
        var found = new List<KubeletConfigurationSource>();
        // A node's /configz answer, read by a live collection (or kept in a saved snapshot): its effective configuration.
        foreach (KubeObject node in snapshot.OfKind(Kind).Where(o => o.ApiGroup == "kubelet.config.k8s.io"))
        {
            found.Add(new KubeletConfigurationSource(new ResourceRef("Node", null, node.Name), "the node's /configz (its effective configuration)", node.Json));
        }

        foreach (KubeObject configMap in snapshot.OfKind("ConfigMap"))
        {
            if (configMap.Namespace != "kube-system" || !(configMap.Name == "kubelet-config" || configMap.Name.StartsWith("kubelet-config-1.", StringComparison.Ordinal)))
            {
                continue;
            }

            if (!configMap.Json.TryGet("data"u8, out JsonElement data) || JsonRead.String(data, "kubelet") is not string text)
            {
                problems.Add($"{configMap.ToResourceRef()} has no data.kubelet; it is not read.");
                continue;
            }

            if (Parse(text, $"{configMap.ToResourceRef()} data.kubelet", problems) is JsonElement configuration)
            {
                found.Add(new KubeletConfigurationSource(configMap.ToResourceRef(), "the kubeadm kubelet-config ConfigMap (a node's own flags can override it)", configuration));
            }
        }

        return found;
    }

    /// <summary>A KubeletConfiguration file (YAML or JSON), or a saved /configz answer ({"kubeletconfig": {...}}).</summary>
    public static KubeletConfigurationSource? Read(string text, string path, List<string> problems)
    {
        if (Parse(text, path, problems) is not JsonElement configuration)
        {
            return null;
        }

        return new KubeletConfigurationSource(new ResourceRef(Kind, null, Path.GetFileName(path)), path, configuration);
    }

    private static JsonElement? Parse(string text, string source, List<string> problems)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = new YamlJsonConverter(InputLimits.Default).ConvertStream(text, out int documents);
            if (documents != 1)
            {
                problems.Add($"{source} holds {documents} YAML documents; a kubelet configuration is one.");
                return null;
            }

            root = document.RootElement[0].Clone();
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InputLimitException or JsonException)
        {
            problems.Add($"{source} is not valid YAML or JSON: {ex.Message}");
            return null;
        }

        // /api/v1/nodes/<node>/proxy/configz answers {"kubeletconfig": {...}} without kind.
        if (root.ValueKind == JsonValueKind.Object && root.TryGet("kubeletconfig"u8, out JsonElement configz) && configz.ValueKind == JsonValueKind.Object)
        {
            return configz;
        }

        if (JsonRead.String(root, "kind") != Kind)
        {
            problems.Add($"{source} is not a KubeletConfiguration (kind is '{JsonRead.String(root, "kind")}').");
            return null;
        }

        return root;
    }
}
