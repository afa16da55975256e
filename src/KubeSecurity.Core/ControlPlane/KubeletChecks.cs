using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.ControlPlane;

/// <summary>How one kubelet control is decided from a configuration; an absent field is its kubelet.config.k8s.io/v1beta1 default.</summary>
internal sealed record KubeletCheck(string RuleId, Func<JsonElement, Verdict> Evaluate)
{
    public ControlPlaneControl Definition { get; } = KubeletRules.Controls.Single(c => c.RuleId == RuleId);

    /// <summary>The field values the violating fixture sets on a hardened configuration (null removes the field).</summary>
    public required IReadOnlyDictionary<string, object?> Violating { get; init; }
}

internal static class KubeletChecks
{
    private static JsonElement? Field(JsonElement configuration, string path)
    {
        JsonElement current = configuration;
        foreach (string part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGet(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    private static Verdict Bool(JsonElement c, string path, bool wanted, bool byDefault)
    {
        JsonElement? field = Field(c, path);
        bool value = field?.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => byDefault };
        return new Verdict(value == wanted, field is null ? $"{path} is not set (default {byDefault.ToString().ToLowerInvariant()})" : $"{path}: {field.Value.GetRawText()}");
    }

    private static string? Text(JsonElement c, string path) => Field(c, path) is { ValueKind: JsonValueKind.String } s ? s.AsString() : null;

    private static long? Number(JsonElement c, string path) => Field(c, path) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out long v) ? v : null;

    private static Verdict Set(JsonElement c, params string[] paths)
    {
        string[] missing = paths.Where(p => string.IsNullOrEmpty(Text(c, p))).ToArray();
        return new Verdict(missing.Length == 0, missing.Length == 0 ? string.Join(", ", paths.Select(p => $"{p}: {Text(c, p)}")) : $"{string.Join(" and ", missing)} not set");
    }

    private static Verdict ServingCertificate(JsonElement c)
    {
        if (Field(c, "serverTLSBootstrap")?.ValueKind == JsonValueKind.True)
        {
            return new Verdict(true, "serverTLSBootstrap: true (serving certificates requested from the API)");
        }

        Verdict files = Set(c, "tlsCertFile", "tlsPrivateKeyFile");
        return files.Passed ? files : new Verdict(false, $"{files.Detail}, and serverTLSBootstrap is not true: the kubelet serves a self-signed certificate");
    }

    private static Verdict StreamingTimeout(JsonElement c)
    {
        string? value = Text(c, "streamingConnectionIdleTimeout");
        bool zero = value is not null && value.Trim('0', '.', 's', 'm', 'h').Length == 0;
        return new Verdict(!zero, value is null ? "streamingConnectionIdleTimeout is not set (default 4h)" : $"streamingConnectionIdleTimeout: {value}");
    }

    private static Verdict WeakCiphers(JsonElement c) =>
        ControlPlaneChecks.CipherSuites(Field(c, "tlsCipherSuites") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().Select(s => s.AsString() ?? string.Empty).ToArray() : Array.Empty<string>(), "tlsCipherSuites");

    private static Verdict RotationGate(JsonElement c) =>
        Field(c, "featureGates.RotateKubeletServerCertificate")?.ValueKind == JsonValueKind.False
            ? new Verdict(false, "featureGates.RotateKubeletServerCertificate: false")
            : new Verdict(true, "RotateKubeletServerCertificate is on (the default)");

    private static Verdict PidsLimit(JsonElement c)
    {
        long? limit = Number(c, "podPidsLimit");
        return new Verdict(limit is > 0, limit is null ? "podPidsLimit is not set (default -1: unlimited)" : $"podPidsLimit: {limit}");
    }

    private static Verdict AuthorizationMode(JsonElement c)
    {
        string mode = Text(c, "authorization.mode") ?? "Webhook";
        return new Verdict(mode != "AlwaysAllow", Text(c, "authorization.mode") is null ? "authorization.mode is not set (default Webhook)" : $"authorization.mode: {mode}");
    }

    private static Verdict ReadOnlyPort(JsonElement c)
    {
        long port = Number(c, "readOnlyPort") ?? 0;
        return new Verdict(port == 0, Number(c, "readOnlyPort") is null ? "readOnlyPort is not set (default 0: closed)" : $"readOnlyPort: {port}");
    }

    public static IReadOnlyList<KubeletCheck> All { get; } = new KubeletCheck[]
    {
        new("KSEC-KUBELET-002", c => Bool(c, "authentication.anonymous.enabled", false, false)) { Violating = new Dictionary<string, object?> { ["authentication.anonymous.enabled"] = true } },
        new("KSEC-KUBELET-003", AuthorizationMode) { Violating = new Dictionary<string, object?> { ["authorization.mode"] = "AlwaysAllow" } },
        new("KSEC-KUBELET-004", c => Set(c, "authentication.x509.clientCAFile")) { Violating = new Dictionary<string, object?> { ["authentication.x509.clientCAFile"] = null } },
        new("KSEC-KUBELET-005", ReadOnlyPort) { Violating = new Dictionary<string, object?> { ["readOnlyPort"] = 10255 } },
        new("KSEC-KUBELET-006", StreamingTimeout) { Violating = new Dictionary<string, object?> { ["streamingConnectionIdleTimeout"] = "0s" } },
        new("KSEC-KUBELET-007", c => Bool(c, "makeIPTablesUtilChains", true, true)) { Violating = new Dictionary<string, object?> { ["makeIPTablesUtilChains"] = false } },
        new("KSEC-KUBELET-008", ServingCertificate) { Violating = new Dictionary<string, object?> { ["serverTLSBootstrap"] = null } },
        new("KSEC-KUBELET-009", c => Bool(c, "rotateCertificates", true, false)) { Violating = new Dictionary<string, object?> { ["rotateCertificates"] = null } },
        new("KSEC-KUBELET-010", RotationGate) { Violating = new Dictionary<string, object?> { ["featureGates.RotateKubeletServerCertificate"] = false } },
        new("KSEC-KUBELET-011", WeakCiphers) { Violating = new Dictionary<string, object?> { ["tlsCipherSuites"] = new[] { "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA" } } },
        new("KSEC-KUBELET-012", PidsLimit) { Violating = new Dictionary<string, object?> { ["podPidsLimit"] = null } },
        new("KSEC-KUBELET-013", c => Bool(c, "seccompDefault", true, false)) { Violating = new Dictionary<string, object?> { ["seccompDefault"] = null } },
        new("KSEC-KUBELET-014", c => Bool(c, "protectKernelDefaults", true, false)) { Violating = new Dictionary<string, object?> { ["protectKernelDefaults"] = false } },
    };

    /// <summary>A KubeletConfiguration meeting every check (kubeadm's, hardened), as nested fields.</summary>
    public static IReadOnlyDictionary<string, object?> Hardened { get; } = new Dictionary<string, object?>
    {
        ["authentication.anonymous.enabled"] = false,
        ["authentication.webhook.enabled"] = true,
        ["authentication.x509.clientCAFile"] = "/etc/kubernetes/pki/ca.crt",
        ["authorization.mode"] = "Webhook",
        ["cgroupDriver"] = "systemd",
        ["clusterDNS"] = new[] { "10.96.0.10" },
        ["clusterDomain"] = "cluster.local",
        ["readOnlyPort"] = 0,
        ["streamingConnectionIdleTimeout"] = "5m",
        ["makeIPTablesUtilChains"] = true,
        ["serverTLSBootstrap"] = true,
        ["rotateCertificates"] = true,
        ["podPidsLimit"] = 4096,
        ["seccompDefault"] = true,
        ["protectKernelDefaults"] = true,
        ["staticPodPath"] = "/etc/kubernetes/manifests",
    };
}

/// <summary>The kubelet controls on every configuration found; failed ones become findings, and none found is not checkable.</summary>
public static class KubeletAnalyzer
{
    public static List<ControlCheck> Check(IReadOnlyList<KubeletConfigurationSource> sources)
    {
        var results = new List<ControlCheck>();
        foreach (KubeletCheck check in KubeletChecks.All)
        {
            if (sources.Count == 0)
            {
                results.Add(new ControlCheck(check.RuleId, check.Definition.Control, ControlFindings.BenchmarkOf(check.Definition.Control), "kubelet", null, ControlStatus.NotCheckable, check.Definition.Title,
                    "no kubelet configuration in the input"));
                continue;
            }

            foreach (KubeletConfigurationSource source in sources)
            {
                Verdict verdict = check.Evaluate(source.Configuration);
                results.Add(new ControlCheck(check.RuleId, check.Definition.Control, ControlFindings.BenchmarkOf(check.Definition.Control), "kubelet", source.Source,
                    verdict.Passed ? ControlStatus.Pass : ControlStatus.Fail, check.Definition.Title, $"{verdict.Detail} (from {source.Origin})"));
            }
        }

        return results;
    }

    public static List<Finding> Findings(IReadOnlyList<ControlCheck> results, string inputName) =>
        ControlFindings.Of(results, KubeletRules.NotVisible, inputName, count =>
            $"No kubelet configuration is in the input (no KubeletConfiguration file and no kube-system kubelet-config ConfigMap): {count} kubelet controls are not checkable from here, which is not the same as passing them.");

    public static List<Finding> Analyze(KubeSnapshot snapshot, List<string> problems) =>
        Findings(Check(KubeletConfigurations.Find(snapshot, problems)), snapshot.Cluster ?? snapshot.Context ?? "input");
}
