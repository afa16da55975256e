namespace KubeSecurity.Model;

/// <summary>
/// A single change that cuts attack paths: what to change, on which object, how many of the paths
/// found it cuts, and the rule whose findings Repair-KubeSecurityFinding can fix for it, when one exists.
/// </summary>
public sealed record AttackChokePoint(int Rank, string Change, string Target, int PathsCut, int TotalPaths, IReadOnlyList<string> Techniques, string? RepairRuleId)
{
    public override string ToString() => $"{Rank}. {Change}: cuts {PathsCut} of {TotalPaths} path(s)";
}
