using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Redaction;

/// <summary>Saves a snapshot with secret values redacted (unless they are asked for): what Export-KubeSnapshot writes.</summary>
public static class RedactedSnapshotFile
{
    /// <summary>Writes the snapshot; returns how many objects had values redacted.</summary>
    public static int Write(KubeSnapshot snapshot, Stream destination, bool includeSecretValues, string toolVersion) =>
        SnapshotFile.Write(snapshot, destination, includeSecretValues ? null : SnapshotRedactor.Redact, toolVersion);
}
