using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>One entry of the EKS <c>aws-auth</c> ConfigMap: a cloud identity (IAM role or user ARN) that authenticates as a Kubernetes user with groups.</summary>
public sealed record AwsAuthMapping(string Source, string CloudIdentity, string UserName, IReadOnlyList<string> Groups)
{
    public string Describe() => $"aws-auth {Source} {CloudIdentity}";

    /// <summary>
    /// Reads <c>kube-system/aws-auth</c> (<c>mapRoles</c> and <c>mapUsers</c>, each a YAML list in
    /// a string). Entries that cannot be read become problems naming the key and entry.
    /// </summary>
    public static List<AwsAuthMapping> Read(KubeSnapshot snapshot, List<RbacProblem> problems)
    {
        var mappings = new List<AwsAuthMapping>();
        KubeObject? configMap = snapshot.OfKind("ConfigMap").FirstOrDefault(c => c.Namespace == "kube-system" && c.Name == "aws-auth");
        if (configMap is null || !configMap.Json.TryGet("data"u8, out JsonElement data) || data.ValueKind != JsonValueKind.Object)
        {
            return mappings;
        }

        foreach ((string key, string arnField) in new[] { ("mapRoles", "rolearn"), ("mapUsers", "userarn") })
        {
            string? text = JsonRead.String(data, key);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonDocument parsed;
            try
            {
                parsed = new YamlJsonConverter(InputLimits.Default).ConvertStream(text, out _);
            }
            catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InputLimitException or JsonException)
            {
                problems.Add(new RbacProblem(configMap.ToResourceRef(), $"data.{key} is not valid YAML ({ex.Message}); its mappings are not used."));
                continue;
            }

            using (parsed)
            {
                JsonElement root = parsed.RootElement.Count() > 0 ? parsed.RootElement[0] : default;
                if (root.ValueKind != JsonValueKind.Array)
                {
                    problems.Add(new RbacProblem(configMap.ToResourceRef(), $"data.{key} must be a YAML list of mappings; its mappings are not used."));
                    continue;
                }

                int index = 0;
                foreach (JsonElement entry in root.EnumerateArray())
                {
                    index++;
                    string? arn = JsonRead.String(entry, arnField);
                    string? user = JsonRead.String(entry, "username");
                    if (arn is null || user is null)
                    {
                        problems.Add(new RbacProblem(configMap.ToResourceRef(), $"data.{key} entry {index} has no {(arn is null ? arnField : "username")}; it is ignored."));
                        continue;
                    }

                    mappings.Add(new AwsAuthMapping(key, arn, user, JsonRead.Strings(entry, "groups")));
                }
            }
        }

        return mappings;
    }
}
