namespace KubeSecurity.Model;

/// <summary>What a change to a live cluster did, with the object as it was before (the backup) when one existed.</summary>
public sealed record ApplyResult(string Action, ResourceRef Resource, string? Context, KubeObject Current, KubeObject? Previous)
{
    public string Kind => Resource.Kind;
    public string? Namespace => Resource.Namespace;
    public string Name => Resource.Name;

    public override string ToString() => $"{Action} {Resource}{(Previous is null ? string.Empty : " (previous version returned as a backup)")}";
}
