namespace KubeSecurity.Model;

/// <summary>What repairing a finding changed (or would change): the object before and after, and the changed fields.</summary>
public sealed record RepairResult(string RuleId, ResourceRef Resource, string Action, IReadOnlyList<string> Changes, KubeObject? Before, KubeObject? After, bool Applied)
{
    public string Kind => Resource.Kind;
    public string? Namespace => Resource.Namespace;
    public string Name => Resource.Name;

    public override string ToString() => $"{(Applied ? "Applied" : "Planned")} {Action} {Resource} for {RuleId}: {string.Join("; ", Changes)}";
}
