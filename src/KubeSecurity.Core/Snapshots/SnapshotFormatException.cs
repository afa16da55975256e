namespace KubeSecurity.Core.Snapshots;

/// <summary>A saved snapshot that cannot be read: corrupt, truncated, or of a format this version does not know.</summary>
public sealed class SnapshotFormatException : Exception
{
    public SnapshotFormatException(string message, bool unsupported = false, Exception? inner = null) : base(message, inner) => Unsupported = unsupported;
    public SnapshotFormatException() { }
    public SnapshotFormatException(string message) : base(message) { }
    public SnapshotFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>True when the file is a snapshot, but of a format version this module cannot read.</summary>
    public bool Unsupported { get; }
}
