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
        : this(new FindingRule(ruleId, title, category, remediation, references), severity, resource, message ?? string.Empty, evidence, cluster, context)
    {
    }

    /// <summary>
    /// A finding whose message is composed when first read. An audit of a large cluster holds a
    /// hundred thousand findings, most of which a pipeline filters, counts or sorts without reading
    /// the message; the parts it is made of are shared with other findings.
    /// </summary>
    internal Finding(FindingRule rule, Severity severity, ResourceRef resource, Func<string> composeMessage, IReadOnlyDictionary<string, string>? evidence = null)
        : this(rule, severity, resource, (object)(composeMessage ?? throw new ArgumentNullException(nameof(composeMessage))), evidence, null, null)
    {
    }

    /// <summary>A finding whose message is composed when first read, from parts held by <paramref name="message"/>.</summary>
    internal Finding(FindingRule rule, Severity severity, ResourceRef resource, ComposedMessage message, IReadOnlyDictionary<string, string>? evidence = null)
        : this(rule, severity, resource, (object)(message ?? throw new ArgumentNullException(nameof(message))), evidence, null, null)
    {
    }

    /// <summary>A finding of a catalog rule, sharing the rule's texts.</summary>
    internal Finding(FindingRule rule, Severity severity, ResourceRef resource, string message, IReadOnlyDictionary<string, string>? evidence = null)
        : this(rule, severity, resource, (object)(message ?? string.Empty), evidence, null, null)
    {
    }

    // Seven fields, the rule's texts behind one of them: large audits hold a hundred thousand findings.
    private Finding(FindingRule rule, Severity severity, ResourceRef resource, object text, IReadOnlyDictionary<string, string>? evidence, string? cluster, string? context)
    {
        ArgumentNullException.ThrowIfNull(resource);
        this.rule = rule;
        Severity = severity;
        Resource = resource;
        this.text = text;
        // Held compactly and read-only.
        Evidence = evidence switch
        {
            null => EvidenceDictionary.Empty,
            EvidenceDictionary map => map.Freeze(),
            _ => EvidenceDictionary.From(evidence),
        };
        Cluster = cluster;
        Context = context;
    }

    private readonly FindingRule rule;

    // The message, or until it is first read what composes it (a Func<string> or a ComposedMessage).
    private object text;

    public string RuleId => rule.RuleId;
    public string Title => rule.Title;
    public Severity Severity { get; }
    public string Category => rule.Category;
    public ResourceRef Resource { get; }

    // Flattened so findings bind by property name to cmdlets taking -Kind/-Namespace/-Name.
    public string Kind => Resource.Kind;
    public string? Namespace => Resource.Namespace;
    public string Name => Resource.Name;

    // Composed once, on first read. Two threads reading at once may both compose it; they get the
    // same text, and whichever stores it last stores what the other stored.
    public string Message
    {
        get
        {
            object current = text;
            if (current is string message)
            {
                return message;
            }

            string composed = (current is ComposedMessage parts ? parts.Compose() : ((Func<string>)current)()) ?? string.Empty;
            text = composed;
            return composed;
        }
    }

    public string Remediation => rule.Remediation;

    /// <summary>CIS Kubernetes Benchmark ids, Pod Security Standards controls, NSA/CISA guidance, documentation URLs.</summary>
    public IReadOnlyList<string> References => rule.References;

    /// <summary>Facts that support the finding (never a secret value).</summary>
    public IReadOnlyDictionary<string, string> Evidence { get; }

    /// <summary>The kubeconfig cluster the finding was found in; null for findings from manifest files.</summary>
    public string? Cluster { get; }

    /// <summary>The kubeconfig context the finding was found through; with several contexts (a fleet) it tells them apart.</summary>
    public string? Context { get; }

    /// <summary>The same finding, marked as coming from a cluster and context (its message still composed when first read).</summary>
    public Finding WithOrigin(string? cluster, string? context) => new(rule, Severity, Resource, text, Evidence, cluster, context);

    public override string ToString() => $"[{Severity}] {(Context is null ? string.Empty : Context + ": ")}{RuleId} {Resource}: {Message}";
}
