namespace KubeSecurity.Model;

/// <summary>
/// One problem found by any analysis area. Every area emits this type so findings compose into
/// one report. <see cref="Evidence"/> never holds a secret value: key names and fingerprints only.
/// </summary>
public sealed class Finding
{
    public Finding(
        string ruleId,
        string title,
        Severity severity,
        string category,
        ResourceRef resource,
        string message,
        string remediation,
        IReadOnlyList<string>? references = null,
        IReadOnlyDictionary<string, string>? evidence = null,
        string? cluster = null,
        string? context = null)
        : this(ruleId, title, severity, category, resource, message ?? string.Empty, null, remediation, references, evidence, cluster, context)
    {
    }

    /// <summary>
    /// A finding whose message is composed when first read. An audit of a large cluster holds a
    /// hundred thousand findings, most of which a pipeline filters, counts or sorts without reading
    /// the message; the parts it is made of are shared with other findings.
    /// </summary>
    internal Finding(
        string ruleId,
        string title,
        Severity severity,
        string category,
        ResourceRef resource,
        Func<string> composeMessage,
        string remediation,
        IReadOnlyList<string>? references = null,
        IReadOnlyDictionary<string, string>? evidence = null,
        string? cluster = null,
        string? context = null)
        : this(ruleId, title, severity, category, resource, null, composeMessage ?? throw new ArgumentNullException(nameof(composeMessage)), remediation, references, evidence, cluster, context)
    {
    }

    private Finding(
        string ruleId,
        string title,
        Severity severity,
        string category,
        ResourceRef resource,
        string? message,
        Func<string>? composeMessage,
        string remediation,
        IReadOnlyList<string>? references,
        IReadOnlyDictionary<string, string>? evidence,
        string? cluster,
        string? context)
    {
        ArgumentException.ThrowIfNullOrEmpty(ruleId);
        ArgumentNullException.ThrowIfNull(resource);
        RuleId = ruleId;
        Title = title ?? string.Empty;
        Severity = severity;
        Category = category ?? string.Empty;
        Resource = resource;
        this.message = message;
        this.composeMessage = composeMessage;
        Remediation = remediation ?? string.Empty;
        References = references ?? Array.Empty<string>();
        // Held compactly and read-only: large audits hold a hundred thousand findings.
        Evidence = evidence switch
        {
            null => EvidenceDictionary.Empty,
            EvidenceDictionary map => map.Freeze(),
            _ => EvidenceDictionary.From(evidence),
        };
        Cluster = cluster;
        Context = context;
    }

    public string RuleId { get; }
    public string Title { get; }
    public Severity Severity { get; }
    public string Category { get; }
    public ResourceRef Resource { get; }

    // Flattened so findings bind by property name to cmdlets taking -Kind/-Namespace/-Name.
    public string Kind => Resource.Kind;
    public string? Namespace => Resource.Namespace;
    public string Name => Resource.Name;

    private readonly Func<string>? composeMessage;
    private string? message;

    // Composed once, on first read; the composer is kept, so two threads reading at once both get the text.
    public string Message => message ??= composeMessage?.Invoke() ?? string.Empty;
    public string Remediation { get; }

    /// <summary>CIS Kubernetes Benchmark ids, Pod Security Standards controls, NSA/CISA guidance, documentation URLs.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>Facts that support the finding (never a secret value).</summary>
    public IReadOnlyDictionary<string, string> Evidence { get; }

    /// <summary>The kubeconfig cluster the finding was found in; null for findings from manifest files.</summary>
    public string? Cluster { get; }

    /// <summary>The kubeconfig context the finding was found through; with several contexts (a fleet) it tells them apart.</summary>
    public string? Context { get; }

    /// <summary>The same finding, marked as coming from a cluster and context.</summary>
    public Finding WithOrigin(string? cluster, string? context) =>
        new(RuleId, Title, Severity, Category, Resource, message, message is null ? composeMessage : null, Remediation, References, Evidence, cluster, context);

    public override string ToString() => $"[{Severity}] {(Context is null ? string.Empty : Context + ": ")}{RuleId} {Resource}: {Message}";
}
