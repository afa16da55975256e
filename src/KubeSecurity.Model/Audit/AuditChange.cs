namespace KubeSecurity.Model;

/// <summary>A finding that is new, fixed or unchanged between two audits (matched by rule id and resource identity).</summary>
public sealed record AuditChange(string Change, Finding Finding)
{
    public string RuleId => Finding.RuleId;
    public Severity Severity => Finding.Severity;
    public string Kind => Finding.Kind;
    public string? Namespace => Finding.Namespace;
    public string Name => Finding.Name;

    public override string ToString() => $"{Change}: {Finding}";
}
