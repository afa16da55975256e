using System.Text.Json;

namespace KubeSecurity.Model;

/// <summary>
/// One Kubernetes object as the snapshot holds it: identity and metadata as properties, the full
/// object as JSON. Its default view never shows the body, so Secret data stays off the screen.
/// </summary>
public sealed class KubeObject
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> GroupsByApiVersion = new(StringComparer.Ordinal);

    // Everything read on first use lives in one holder allocated on first use: a snapshot of
    // 50,000 objects stays small, and the GC has less to move while it loads.
    private LazyMetadata? lazy;

    private sealed class LazyMetadata(JsonElement metadata)
    {
        public JsonElement Metadata { get; } = metadata;
        public IReadOnlyDictionary<string, string>? Labels { get; set; }
        public IReadOnlyDictionary<string, string>? Annotations { get; set; }
        public DateTimeOffset? Created { get; set; }
        public bool CreatedRead { get; set; }
        public string? Uid { get; set; }
        public bool UidRead { get; set; }
    }

    // Metadata is read from the outline, which keeps it whole: a detached body is not read back for it.
    private LazyMetadata Lazy => lazy ??= new LazyMetadata(json.ValueKind == JsonValueKind.Object && json.TryGetProperty("metadata"u8, out JsonElement m) ? m : default);

    private readonly JsonElement json;

    // Set when the body stays in its file (a large dump's Secrets and ConfigMaps): json is then the outline.
    private readonly DetachedBody? body;

    // Loading reads apiVersion, kind and namespace for every object, and they repeat across
    // thousands of objects: reuse the previous string when the bytes are equal.
    [ThreadStatic] private static RepeatedValue? lastApiVersion;
    [ThreadStatic] private static RepeatedValue? lastKind;
    [ThreadStatic] private static RepeatedValue? lastNamespace;

    private sealed record RepeatedValue(string Text, byte[] Utf8);

    private KubeObject(JsonElement json, string apiVersion, string kind, string? ns, string name, string? origin, DetachedBody? body = null)
    {
        this.json = json;
        this.body = body;
        ApiVersion = apiVersion;
        ApiGroup = GroupOf(apiVersion);
        Kind = kind;
        Namespace = ns;
        Name = name;
        Origin = origin;
    }

    public string ApiVersion { get; }
    public string Kind { get; }

    /// <summary>Empty for cluster-scoped objects.</summary>
    public string? Namespace { get; }
    public string Name { get; }
    public string? Uid
    {
        get
        {
            LazyMetadata state = Lazy;
            if (!state.UidRead)
            {
                state.Uid = ReadString(state.Metadata, "uid");
                state.UidRead = true;
            }

            return state.Uid;
        }
    }

    // Timestamps, labels and annotations are read on first use: loading 50,000 objects should
    // not build 100,000 dictionaries most analyses never look at.
    public DateTimeOffset? CreationTimestamp
    {
        get
        {
            LazyMetadata state = Lazy;
            if (!state.CreatedRead)
            {
                string? ts = ReadString(state.Metadata, "creationTimestamp");
                state.Created = ts is not null && DateTimeOffset.TryParse(ts, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed) ? parsed : null;
                state.CreatedRead = true;
            }

            return state.Created;
        }
    }

    public IReadOnlyDictionary<string, string> Labels => Lazy.Labels ??= ReadMap(Lazy.Metadata, "labels");

    public IReadOnlyDictionary<string, string> Annotations => Lazy.Annotations ??= ReadMap(Lazy.Metadata, "annotations");

    /// <summary>Where the object was read: <c>file.yaml#3</c> (document index), a saved snapshot, or the API path.</summary>
    public string? Origin { get; }

    /// <summary>The API group, empty for the core group.</summary>
    public string ApiGroup { get; }

    /// <summary>The whole object. For Secrets this includes data unless the snapshot was redacted.</summary>
    /// <remarks>
    /// A large JSON dump's Secrets and ConfigMaps keep their bodies in the file and are read back
    /// here, so holding the element costs memory again; a file changed since loading throws.
    /// </remarks>
    public JsonElement Json => body is null ? json : body.Load();

    /// <summary>
    /// The object without the values of data, binaryData and stringData when its body stays in its
    /// file (they read as null; the keys are kept), otherwise the whole object. For what metadata,
    /// type and key names decide: it never reads the file.
    /// </summary>
    internal JsonElement Outline => json;

    /// <summary>True when the body stays in its file and <see cref="Json"/> reads it back.</summary>
    internal bool IsDetached => body is not null;

    /// <summary>False only for a detached body in which the loader saw no PEM marker: certificate searches skip reading it.</summary>
    internal bool MayHoldCertificates => body?.MayHoldCertificates ?? true;

    /// <summary>
    /// The whole object for the span of a <c>using</c>: a detached body is read once into pooled
    /// memory however many leases nest, and returned when the last ends. Nothing read from the
    /// element may be kept past the lease.
    /// </summary>
    internal BodyLease OpenBody() => body is null ? new BodyLease(json, null) : new BodyLease(body.Acquire(), body);

    // One instance per object: every finding about it names it, and big audits hold many findings.
    // Held here, not with the metadata read on first use: naming an object reads no metadata.
    public ResourceRef ToResourceRef() => reference ??= new(Kind, Namespace, Name);

    private ResourceRef? reference;

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
        out KubeObject? kubeObject, out string? problem) =>
        TryCreate(json, origin, fallbackApiVersion, fallbackKind, null, out kubeObject, out problem);

    /// <summary>As the public overload; with <paramref name="body"/>, <paramref name="json"/> is the outline and the body stays in its file.</summary>
    internal static bool TryCreate(JsonElement json, string? origin, string? fallbackApiVersion, string? fallbackKind, DetachedBody? body,
        out KubeObject? kubeObject, out string? problem)
    {
        kubeObject = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            problem = $"expected an object but found {json.ValueKind}";
            return false;
        }

        string? apiVersion = ReadRepeatedString(json, "apiVersion"u8, ref lastApiVersion) ?? fallbackApiVersion;
        string? kind = ReadRepeatedString(json, "kind"u8, ref lastKind) ?? fallbackKind;
        if (string.IsNullOrEmpty(kind))
        {
            problem = WrongType(json, "kind"u8, "kind") ?? "the document has no 'kind'";
            return false;
        }

        if (string.IsNullOrEmpty(apiVersion))
        {
            problem = WrongType(json, "apiVersion"u8, "apiVersion") ?? $"the {kind} has no 'apiVersion'";
            return false;
        }

        string? name = null, ns = null;
        if (json.TryGetProperty("metadata"u8, out JsonElement metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            name = ReadString(metadata, "name"u8) ?? ReadString(metadata, "generateName"u8);
            ns = ReadRepeatedString(metadata, "namespace"u8, ref lastNamespace);
        }

        if (string.IsNullOrEmpty(name))
        {
            problem = (json.TryGetProperty("metadata"u8, out JsonElement found) && found.ValueKind != JsonValueKind.Object
                    ? $"the {kind}'s 'metadata' is {Article(found.ValueKind)}, not a mapping"
                    : metadata.ValueKind == JsonValueKind.Object ? WrongType(metadata, "name"u8, "metadata.name") : null)
                ?? $"the {kind} has no metadata.name";
            return false;
        }

        kubeObject = new KubeObject(json, apiVersion, kind, string.IsNullOrEmpty(ns) ? null : ns, name, origin, body);
        problem = null;
        return true;
    }

    /// <summary>Wraps a parsed object, throwing <see cref="ArgumentException"/> when it is not a Kubernetes object.</summary>
    public static KubeObject Create(JsonElement json, string? origin = null) =>
        TryCreate(json, origin, out KubeObject? created, out string? problem)
            ? created!
            : throw new ArgumentException(problem, nameof(json));

    // A field that is there but not a string says so, rather than "has no".
    private static string? WrongType(JsonElement obj, ReadOnlySpan<byte> property, string name) =>
        obj.TryGetProperty(property, out JsonElement value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
            ? $"'{name}' is {Article(value.ValueKind)}, not a string"
            : null;

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "a mapping",
        JsonValueKind.Array => "a list",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string? ReadString(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [ThreadStatic] private static (string ApiVersion, string Group) lastGroup;

    private static string GroupOf(string apiVersion)
    {
        if (!ReferenceEquals(lastGroup.ApiVersion, apiVersion))
        {
            lastGroup = (apiVersion, GroupsByApiVersion.GetOrAdd(apiVersion, static v => v.Contains('/', StringComparison.Ordinal) ? v[..v.IndexOf('/', StringComparison.Ordinal)] : string.Empty));
        }

        return lastGroup.Group;
    }

    private static string? ReadRepeatedString(JsonElement obj, ReadOnlySpan<byte> property, ref RepeatedValue? last)
    {
        if (!obj.TryGetProperty(property, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        if (last is not null && value.ValueEquals(last.Utf8))
        {
            return last.Text;
        }

        string text = value.GetString()!;
        last = new RepeatedValue(text, System.Text.Encoding.UTF8.GetBytes(text));
        return text;
    }

    private static string? ReadString(JsonElement obj, ReadOnlySpan<byte> property) =>
        obj.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyDictionary<string, string> ReadMap(JsonElement obj, string property)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(property, out JsonElement map) || map.ValueKind != JsonValueKind.Object)
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
