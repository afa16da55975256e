namespace KubeSecurity.Model;

/// <summary>
/// One move of an attack path: the technique (an id of the technique catalogue), where it starts and
/// ends, and the objects that make it possible. <see cref="RuleId"/> names the rule whose finding
/// proves the precondition, when one does.
/// </summary>
public sealed record AttackStep(int Order, string TechniqueId, string Technique, string From, string To, string Description, IReadOnlyList<string> Evidence, string? RuleId)
{
    /// <summary>The change that removes this step (and every path through it), in words.</summary>
    public string? Fix { get; init; }

    public override string ToString() => $"{Order}. [{TechniqueId}] {Description}";
}
