namespace KubeSecurity.Model;

/// <summary>A rule in the catalog: what <c>Get-KubeSecurityRule</c> returns.</summary>
public sealed class SecurityRule
{
    public SecurityRule(string id, string title, Severity severity, string category, string description,
        string remediation, IReadOnlyList<string>? references = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
        Title = title;
        Severity = severity;
        Category = category;
        Description = description;
        Remediation = remediation;
        References = references ?? Array.Empty<string>();
        MinimumSeverity = severity;
        MaximumSeverity = severity;
        ForFindings = new FindingRule(id, title, category, remediation, References);
    }

    private SecurityRule(SecurityRule rule, Severity minimum, Severity maximum, string note)
        : this(rule.Id, rule.Title, rule.Severity, rule.Category, rule.Description, rule.Remediation, rule.References)
    {
        if (minimum > rule.Severity || maximum < rule.Severity)
        {
            throw new ArgumentException($"The severity range {minimum}-{maximum} of {rule.Id} does not include its default severity {rule.Severity}.");
        }

        MinimumSeverity = minimum;
        MaximumSeverity = maximum;
        SeverityNote = note;
    }

    public string Id { get; }
    public string Title { get; }

    /// <summary>The texts every finding of the rule repeats, held once for all of them.</summary>
    internal FindingRule ForFindings { get; }

    /// <summary>The default severity; a finding may raise or lower it with a reason in its message.</summary>
    public Severity Severity { get; }

    /// <summary>The lowest severity a finding of this rule can carry (equal to <see cref="Severity"/> unless the rule grades its findings).</summary>
    public Severity MinimumSeverity { get; }

    /// <summary>The highest severity a finding of this rule can carry.</summary>
    public Severity MaximumSeverity { get; }

    /// <summary>When findings of the rule differ from the default severity, and why; null when they never do.</summary>
    public string? SeverityNote { get; }
    public string Category { get; }
    public string Description { get; }
    public string Remediation { get; }
    public IReadOnlyList<string> References { get; }

    /// <summary>Where the rule pages are published: the repository's docs/rules folder.</summary>
    public const string DocumentationBase = "https://github.com/kubesecurity/KubeSecurity/blob/main/docs/rules/";

    /// <summary>The rule's documentation page, relative to the repository root (for tools working in a checkout).</summary>
    public string HelpPath => $"docs/rules/{Id}.md";

    /// <summary>The rule's documentation page online: what reports link to, since an installed module has no docs folder.</summary>
    public string HelpUri => DocumentationBase + Id + ".md";

    /// <summary>The same rule, stating that its findings range from <paramref name="minimum"/> to <paramref name="maximum"/> and why.</summary>
    public SecurityRule WithSeverityRange(Severity minimum, Severity maximum, string note) => new(this, minimum, maximum, note);

    public override string ToString() => $"{Id} {Title}";
}
