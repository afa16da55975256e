namespace KubeSecurity.Model;

/// <summary>How one benchmark control came out on one component.</summary>
public enum ControlStatus
{
    Pass,
    Fail,

    /// <summary>The component it concerns is not visible from here (a managed control plane, external etcd): neither passed nor failed.</summary>
    NotCheckable,
}

/// <summary>
/// One CIS Kubernetes Benchmark control checked on one control-plane component (a kube-apiserver,
/// kube-controller-manager, kube-scheduler or etcd pod): its status, the flag values it was decided
/// on (a flag's absence read as the component's documented default), and the rule behind it.
/// </summary>
public sealed record ControlCheck(
    string RuleId,
    string Control,
    string Benchmark,
    string Component,
    ResourceRef? Pod,
    ControlStatus Status,
    string Title,
    string Detail)
{
    public override string ToString() => $"{Status}: {Benchmark} {Control} {Title} ({Component}{(Pod is null ? string.Empty : " " + Pod)}) - {Detail}";
}
