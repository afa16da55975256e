namespace KubeSecurity.Model;

/// <summary>How bad a finding is. Ordered, so <c>Where-Object Severity -ge High</c> works.</summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
