namespace KubeSecurity.Core.Snapshots;

/// <summary>Why one input (a file, or one document in it) could not be read. The rest still load.</summary>
public sealed record LoadProblem(string Source, int? DocumentIndex, string Message, LoadProblemKind Kind)
{
    public string Location => DocumentIndex is int index ? $"{Source} (document {index})" : Source;

    public override string ToString() => $"{Location}: {Message}";
}

public enum LoadProblemKind
{
    /// <summary>The file or path does not exist or cannot be opened.</summary>
    NotFound,
    /// <summary>The YAML or JSON is malformed.</summary>
    Syntax,
    /// <summary>Well-formed, but not a Kubernetes object.</summary>
    NotAnObject,
    /// <summary>Exceeds a safety limit (size, depth, alias expansion).</summary>
    LimitExceeded,
    /// <summary>A saved snapshot of an unsupported format version.</summary>
    UnsupportedFormat,
}
