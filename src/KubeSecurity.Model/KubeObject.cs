using System.Text.Json;

namespace KubeSecurity.Model;

/// <summary>
/// One Kubernetes object as the snapshot holds it: identity and metadata as properties, the full
/// object as JSON. Its default view never shows the body, so Secret data stays off the screen.
/// </summary>
public sealed class KubeObject
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private KubeObject(JsonElement json, string apiVersion, string kind, string? ns, string name, string? uid,
        DateTimeOffset? created, IReadOnlyDictionary<string, string> labels,
        IReadOnlyDictionary<string, string> annotations, string? origin)
    {
        Json = json;
        ApiVersion = apiVersion;
        Kind = kind;
        Namespace = ns;
        Name = name;
        Uid = uid;
        CreationTimestamp = created;
        Labels = labels;
        Annotations = annotations;
        Origin = origin;
    }

    public string ApiVersion { get; }
    public string Kind { get; }

    /// <summary>Empty for cluster-scoped objects.</summary>
    public string? Namespace { get; }
    public string Name { get; }
    public string? Uid { get; }
    public DateTimeOffset? CreationTimestamp { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>Where the object was read: <c>file.yaml#3</c> (document index), a saved snapshot, or the API path.</summary>
    public string? Origin { get; }

    /// <summary>The API group, empty for the core group.</summary>
    public string ApiGroup => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    /// <summary>The whole object. For Secrets this includes data unless the snapshot was redacted.</summary>
    public JsonElement Json { get; }

    public ResourceRef ToResourceRef() => new(Kind, Namespace, Name);

    /// <summary>The object as indented JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(Json, IndentedOptions);

    public override string ToString() => ToResourceRef().ToString();

    private static readonly JsonSerializerOptions IndentedOptions = new() { WriteIndented = true };

    /// <summary>
    /// Wraps a parsed object. Returns false with a reason when it is not a Kubernetes object
    /// (not a JSON object, or missing apiVersion, kind or metadata.name/generateName).
    /// </summary>
    public static bool TryCreate(JsonElement json, string? origin, out KubeObject? kubeObject, out string? problem) =>
        TryCreate(json, origin, null, null, out kubeObject, out problem);

    /// <summary>
    /// As <see cref="TryCreate(JsonElement, string?, out KubeObject?, out string?)"/>, for list items the API
    /// serves without apiVersion/kind: the list's own apiVersion and item kind stand in.
    /// </summary>
    public static bool TryCreate(JsonElement json, string? origin, string? fallbackApiVersion, string? fallbackKind,
        out KubeObject? kubeObject, out string? problem)
    {
        kubeObject = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            problem = $"expected an object but found {json.ValueKind}";
            return false;
        }

        string? apiVersion = ReadString(json, "apiVersion") ?? fallbackApiVersion;
        string? kind = ReadString(json, "kind") ?? fallbackKind;
        if (string.IsNullOrEmpty(kind))
        {
            problem = "the document has no 'kind'";
            return false;
        }

        if (string.IsNullOrEmpty(apiVersion))
        {
            problem = $"the {kind} has no 'apiVersion'";
            return false;
        }

        string? name = null, ns = null, uid = null;
        DateTimeOffset? created = null;
        IReadOnlyDictionary<string, string> labels = Empty, annotations = Empty;
        if (json.TryGetProperty("metadata", out JsonElement metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            name = ReadString(metadata, "name") ?? ReadString(metadata, "generateName");
            ns = ReadString(metadata, "namespace");
            uid = ReadString(metadata, "uid");
            string? ts = ReadString(metadata, "creationTimestamp");
            if (ts is not null && DateTimeOffset.TryParse(ts, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
            {
                created = parsed;
            }

            labels = ReadMap(metadata, "labels");
            annotations = ReadMap(metadata, "annotations");
        }

        if (string.IsNullOrEmpty(name))
        {
            problem = $"the {kind} has no metadata.name";
            return false;
        }

        kubeObject = new KubeObject(json, apiVersion, kind, string.IsNullOrEmpty(ns) ? null : ns, name, uid, created, labels, annotations, origin);
        problem = null;
        return true;
    }

    /// <summary>Wraps a parsed object, throwing <see cref="ArgumentException"/> when it is not a Kubernetes object.</summary>
    public static KubeObject Create(JsonElement json, string? origin = null) =>
        TryCreate(json, origin, out KubeObject? created, out string? problem)
            ? created!
            : throw new ArgumentException(problem, nameof(json));

    private static string? ReadString(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyDictionary<string, string> ReadMap(JsonElement obj, string property)
    {
        if (!obj.TryGetProperty(property, out JsonElement map) || map.ValueKind != JsonValueKind.Object)
        {
            return Empty;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty entry in map.EnumerateObject())
        {
            result[entry.Name] = entry.Value.ValueKind switch
            {
                JsonValueKind.String => entry.Value.GetString() ?? string.Empty,
                JsonValueKind.Null => string.Empty,
                _ => entry.Value.GetRawText(),
            };
        }

        return result;
    }
}
