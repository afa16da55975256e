namespace KubeSecurity.Model;

/// <summary>
/// How far a network answer can be trusted: Exact when every policy object that could affect it was
/// evaluated; Partial when some could not be (a policy kind or feature the module does not model,
/// a kind that could not be collected), so the cluster may decide differently; OutOfScope when a
/// host-network pod is involved, which NetworkPolicy and the admin policy APIs do not govern.
/// </summary>
public enum NetworkCompleteness
{
    Exact,
    Partial,
    OutOfScope,
}
