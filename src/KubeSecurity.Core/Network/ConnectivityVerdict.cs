using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>
/// Whether one endpoint may connect to another on a port (or on which ports), and why: the source's
/// egress and the destination's ingress must both allow it. Host-network pods are outside what
/// NetworkPolicy governs, the same rule the connectivity map applies when it leaves them out.
/// </summary>
public static class ConnectivityVerdict
{
    public const string OutOfScopeReason = "a host-network pod is involved: NetworkPolicy and the admin network policies do not apply to it, so nothing here restricts the connection (out of scope)";

    /// <summary>True when the endpoint is pods on the host network, which NetworkPolicy does not govern.</summary>
    public static bool IsOutOfScope(NetworkEndpoint endpoint) => endpoint.Pods?.HostNetwork == true;

    /// <summary>The workloads whose pods run on the host network: the connectivity map does not show them.</summary>
    public static IReadOnlyList<ResourceRef> OutOfScopeWorkloads(NetworkModel model) =>
        model.Classes.Where(c => c.HostNetwork).SelectMany(c => c.Workloads).Distinct().OrderBy(w => w.ToString(), StringComparer.Ordinal).ToList();

    public static ConnectivityResult Decide(NetworkModel model, NetworkEndpoint source, NetworkEndpoint destination, string protocol, int? port)
    {
        if (IsOutOfScope(source) || IsOutOfScope(destination))
        {
            return new ConnectivityResult(source.Label, destination.Label, protocol, port, true, OutOfScopeReason, "out of scope", "out of scope", new[] { "any" })
            {
                Completeness = NetworkCompleteness.OutOfScope,
                CompletenessNotes = new[] { OutOfScopeReason },
            };
        }

        (PortSet allowed, SideVerdict egress, SideVerdict ingress) = model.Evaluate(source, destination);
        string egressText = egress.Describe("egress", source.Label, protocol, port);
        string ingressText = ingress.Describe("ingress", destination.Label, protocol, port);
        bool ok = port is int wanted ? allowed.Contains(protocol, wanted) : !allowed.IsEmpty;
        string reason;
        if (ok)
        {
            reason = $"{egressText}; {ingressText}";
        }
        else if (port is int p && !egress.Allowed.Contains(protocol, p))
        {
            reason = $"denied by egress: {egressText}";
        }
        else if (port is int q && !ingress.Allowed.Contains(protocol, q))
        {
            reason = $"denied by ingress: {ingressText}";
        }
        else
        {
            reason = $"no port is allowed by both sides ({egress.Allowed} by egress, {ingress.Allowed} by ingress)";
        }

        (NetworkCompleteness completeness, IReadOnlyList<string> notes) = model.CompletenessOf(source, destination);
        if (completeness == NetworkCompleteness.Partial)
        {
            reason += $" (partial: {notes.Count} object(s) that could change this are not evaluated; see CompletenessNotes)";
        }

        return new ConnectivityResult(source.Label, destination.Label, protocol, port, ok, reason, egressText, ingressText, allowed.Describe())
        {
            Completeness = completeness,
            CompletenessNotes = notes,
        };
    }
}
