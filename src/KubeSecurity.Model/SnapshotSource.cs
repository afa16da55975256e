namespace KubeSecurity.Model;

/// <summary>Where a snapshot's objects came from.</summary>
public enum SnapshotSource
{
    /// <summary>Listed from a live API server.</summary>
    Live,
    /// <summary>Read from manifest files (YAML/JSON).</summary>
    Files,
    /// <summary>Read from a file written by <c>Export-KubeSnapshot</c>.</summary>
    Saved,
}
