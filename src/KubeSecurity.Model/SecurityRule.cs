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
    }

    public string Id { get; }
    public string Title { get; }

    /// <summary>The default severity; a finding may raise or lower it with a reason in its message.</summary>
    public Severity Severity { get; }
    public string Category { get; }
    public string Description { get; }
    public string Remediation { get; }
    public IReadOnlyList<string> References { get; }

    /// <summary>The rule's documentation page, relative to the repository root.</summary>
    public string HelpPath => $"docs/rules/{Id}.md";

    public override string ToString() => $"{Id} {Title}";
}
