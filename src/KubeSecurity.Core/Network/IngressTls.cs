using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Network;

/// <summary>
/// Ingress hosts served without TLS. Per the Ingress API, a spec.tls entry without hosts covers the
/// controller's default (wildcard) host, so it covers every rule; otherwise a rule's host must be
/// listed in some entry (a wildcard entry <c>*.example.com</c> covers one label, as certificates do).
/// </summary>
internal static class IngressTls
{
    public static void Analyze(KubeSnapshot snapshot, List<Finding> findings)
    {
        foreach (KubeObject ingress in snapshot.OfKind("Ingress"))
        {
            if (!ingress.Json.TryGet("spec"u8, out JsonElement spec) || spec.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            List<JsonElement> tls = JsonRead.Array(spec, "tls").Where(t => t.ValueKind == JsonValueKind.Object).ToList();
            if (tls.Any(t => JsonRead.Array(t, "hosts").Count == 0))
            {
                continue; // an entry without hosts covers the default host, hence every host
            }

            var covered = tls.SelectMany(t => JsonRead.Strings(t, "hosts")).ToList();
            var hosts = JsonRead.Array(spec, "rules").Where(r => r.ValueKind == JsonValueKind.Object)
                .Select(r => JsonRead.String(r, "host") ?? "*").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (hosts.Count == 0 && spec.TryGet("defaultBackend"u8, out _))
            {
                hosts.Add("*");
            }

            List<string> clear = hosts.Where(h => !covered.Any(c => Covers(c, h))).ToList();
            if (clear.Count == 0)
            {
                continue;
            }

            string what = tls.Count == 0 ? "has no spec.tls" : $"lists TLS for {string.Join(", ", covered)} only";
            findings.Add(RuleCatalog.CreateFinding(NetworkRules.IngressWithoutTls, ingress.ToResourceRef(),
                $"{ingress.ToResourceRef()} {what}: {string.Join(", ", clear.Select(h => h == "*" ? "requests for any host" : h))} {(clear.Count == 1 ? "is" : "are")} served over plain HTTP.",
                new Dictionary<string, string> { ["Hosts"] = string.Join(", ", clear), ["TlsHosts"] = string.Join(", ", covered) }));
        }
    }

    private static bool Covers(string tlsHost, string host)
    {
        if (string.Equals(tlsHost, host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // *.example.com covers a.example.com, not example.com nor a.b.example.com.
        return tlsHost.StartsWith("*.", StringComparison.Ordinal) && host != "*"
            && host.IndexOf('.', StringComparison.Ordinal) is int dot and > 0
            && string.Equals(host[(dot + 1)..], tlsHost[2..], StringComparison.OrdinalIgnoreCase);
    }
}
