namespace KubeSecurity.Model;

/// <summary>
/// What every finding of one rule repeats: id, title, category, remediation and references. The
/// catalog's rules each hold one, shared by all their findings, so a finding carries one reference
/// for the five (an audit of a large cluster holds a hundred thousand findings).
/// </summary>
internal sealed class FindingRule
{
    public FindingRule(string ruleId, string? title, string? category, string? remediation, IReadOnlyList<string>? references)
    {
        ArgumentException.ThrowIfNullOrEmpty(ruleId);
        RuleId = ruleId;
        Title = title ?? string.Empty;
        Category = category ?? string.Empty;
        Remediation = remediation ?? string.Empty;
        References = references ?? Array.Empty<string>();
    }

    public string RuleId { get; }
    public string Title { get; }
    public string Category { get; }
    public string Remediation { get; }
    public IReadOnlyList<string> References { get; }
}

/// <summary>
/// A finding's message, composed from parts shared with other findings when it is first read. A
/// subclass holds only the parts; it saves the delegate and closure a lambda would cost per finding.
/// </summary>
internal abstract class ComposedMessage
{
    /// <summary>The text; it must read only values that do not change (it may run much later, on another thread, or never).</summary>
    public abstract string Compose();
}
