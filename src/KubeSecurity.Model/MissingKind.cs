namespace KubeSecurity.Model;

/// <summary>A kind the snapshot could not collect, and why. Analyses say what they could not check.</summary>
public sealed record MissingKind(string Kind, string Reason, int? StatusCode = null)
{
    public override string ToString() => StatusCode is int code ? $"{Kind} ({code}: {Reason})" : $"{Kind} ({Reason})";
}
