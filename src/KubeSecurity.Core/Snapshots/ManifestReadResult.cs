using KubeSecurity.Model;

namespace KubeSecurity.Core.Snapshots;

/// <summary>What reading manifests produced: the objects, and a problem per input that failed.</summary>
public sealed class ManifestReadResult
{
    public List<KubeObject> Objects { get; } = new();
    public List<LoadProblem> Problems { get; } = new();
    public List<string> Sources { get; } = new();

    /// <summary>Set when one of the inputs was a saved snapshot: its metadata carries over.</summary>
    public KubeSnapshot? SavedSnapshot { get; set; }
}
