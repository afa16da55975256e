using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.ControlPlane;

/// <summary>A verdict on one component: passed or not, and the value it was decided on.</summary>
internal readonly record struct Verdict(bool Passed, string Detail);

/// <summary>
/// How one control of the CIS Kubernetes Benchmark (stated in the rule catalog) is decided from a
/// component's flags. Defaults are the components' documented ones for Kubernetes 1.27 to 1.33: an
/// absent flag is judged as that default, not as compliant.
/// </summary>
internal sealed record ControlPlaneCheck(string RuleId, Func<ControlPlaneComponent, ControlPlaneContext, Verdict> Evaluate)
{
    /// <summary>The control as the rule catalog states it: benchmark id, component, title.</summary>
    public ControlPlaneControl Definition { get; } = ControlPlaneRules.Controls.Single(c => c.RuleId == RuleId);

    public string Control => Definition.Control;
    public string Component => Definition.Component;
    public string Title => Definition.Title;

    /// <summary>The flags the compliant fixture sets for the check to pass (the violating one drops or changes them).</summary>
    public required IReadOnlyDictionary<string, string> CompliantFlags { get; init; }

    /// <summary>The flags of the violating fixture, relative to a compliant component: null means "removed".</summary>
    public required IReadOnlyDictionary<string, string?> ViolatingFlags { get; init; }
}

/// <summary>What other components say, for checks that compare them (etcd's CA against the API server's).</summary>
internal sealed record ControlPlaneContext(IReadOnlyList<ControlPlaneComponent> Components);

/// <summary>The benchmark version the checks follow, and the checks.</summary>
internal static class ControlPlaneChecks
{
    public const string Benchmark = ControlPlaneRules.Benchmark;

    private static Verdict Set(ControlPlaneComponent c, params string[] flags)
    {
        string[] missing = flags.Where(f => string.IsNullOrEmpty(c.Get(f))).ToArray();
        return missing.Length == 0
            ? new Verdict(true, string.Join(", ", flags.Select(f => $"--{f}={c.Get(f)}")))
            : new Verdict(false, $"{string.Join(" and ", missing.Select(f => "--" + f))} {(missing.Length == 1 ? "is" : "are")} not set");
    }

    private static Verdict NotSet(ControlPlaneComponent c, string flag) =>
        c.Has(flag) ? new Verdict(false, $"--{flag}={c.Get(flag)} is set") : new Verdict(true, $"--{flag} is not set");

    /// <summary>A boolean flag against the value it must have; absent means the documented default.</summary>
    private static Verdict Bool(ControlPlaneComponent c, string flag, bool wanted, bool byDefault)
    {
        string? text = c.Get(flag);
        bool value = text is null ? byDefault : !string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);
        string shown = text is null ? $"--{flag} is not set (default {byDefault.ToString().ToLowerInvariant()})" : $"--{flag}={text}";
        return new Verdict(value == wanted, shown);
    }

    private static string[] List(ControlPlaneComponent c, string flag) =>
        (c.Get(flag) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // Authorization mode: AlwaysAllow when the flag is absent (kube-apiserver's documented default).
    private static Verdict AuthorizationMode(ControlPlaneComponent c, Func<IReadOnlyList<string>, bool> ok)
    {
        string[] modes = c.Has("authorization-mode") ? List(c, "authorization-mode") : new[] { "AlwaysAllow" };
        return new Verdict(ok(modes), c.Has("authorization-mode") ? $"--authorization-mode={c.Get("authorization-mode")}" : "--authorization-mode is not set (default AlwaysAllow)");
    }

    // Admission plugins on by default in kube-apiserver (1.27-1.33) that the checks care about.
    private static readonly HashSet<string> DefaultOnPlugins = new(StringComparer.Ordinal) { "NamespaceLifecycle", "ServiceAccount" };

    private static Verdict PluginEnabled(ControlPlaneComponent c, string plugin)
    {
        bool on = (List(c, "enable-admission-plugins").Contains(plugin) || DefaultOnPlugins.Contains(plugin)) && !List(c, "disable-admission-plugins").Contains(plugin);
        return new Verdict(on, on ? $"{plugin} is enabled" : List(c, "disable-admission-plugins").Contains(plugin) ? $"{plugin} is in --disable-admission-plugins" : $"{plugin} is not in --enable-admission-plugins (it is off by default)");
    }

    private static Verdict PluginDisabled(ControlPlaneComponent c, string plugin)
    {
        bool on = List(c, "enable-admission-plugins").Contains(plugin) && !List(c, "disable-admission-plugins").Contains(plugin);
        return new Verdict(!on, on ? $"{plugin} is in --enable-admission-plugins" : $"{plugin} is not enabled");
    }

    /// <summary>
    /// An audit-log retention flag: 0 (the default) means no limit of that kind (for --audit-log-maxsize,
    /// the log library's 100 MB), so only a set value below the minimum fails.
    /// </summary>
    private static Verdict AtLeast(ControlPlaneComponent c, string flag, int minimum, string zeroMeans)
    {
        string? text = c.Get(flag);
        int value = text is not null && int.TryParse(text, out int parsed) ? parsed : 0;
        string shown = text is null ? $"--{flag} is not set (default 0: {zeroMeans})" : value == 0 ? $"--{flag}=0 ({zeroMeans})" : $"--{flag}={text} (at least {minimum} expected)";
        return new Verdict(value == 0 || value >= minimum, shown);
    }

    private static Verdict Loopback(ControlPlaneComponent c)
    {
        string? address = c.Get("bind-address");
        return new Verdict(address is "127.0.0.1" or "::1", address is null ? "--bind-address is not set (default 0.0.0.0: every interface)" : $"--bind-address={address}");
    }

    private static Verdict StrongCiphers(ControlPlaneComponent c) => CipherSuites(List(c, "tls-cipher-suites"), "--tls-cipher-suites");

    /// <summary>
    /// A component's TLS cipher suites (API server, kubelet): none of the suites no component should
    /// offer (RC4, 3DES, NULL, EXPORT). None listed means the Go defaults, which exclude them.
    /// </summary>
    internal static Verdict CipherSuites(string[] suites, string setting)
    {
        string[] weak = suites.Where(s => s.Contains("RC4", StringComparison.Ordinal) || s.Contains("3DES", StringComparison.Ordinal) || s.Contains("NULL", StringComparison.Ordinal) || s.Contains("EXPORT", StringComparison.Ordinal)).ToArray();
        return new Verdict(weak.Length == 0, suites.Length == 0 ? $"{setting} is not set (the Go defaults, without RC4 or 3DES)" : weak.Length == 0 ? "only strong suites" : $"weak suites: {string.Join(", ", weak)}");
    }

    private static Verdict MinimumTls(ControlPlaneComponent c)
    {
        string? version = c.Get("tls-min-version");
        return new Verdict(version is null or "VersionTLS12" or "VersionTLS13", version is null ? "--tls-min-version is not set (default TLS 1.2)" : $"--tls-min-version={version}");
    }

    private static Verdict FeatureGateNotFalse(ControlPlaneComponent c, string gate)
    {
        bool off = List(c, "feature-gates").Any(g => string.Equals(g.Replace(" ", string.Empty, StringComparison.Ordinal), $"{gate}=false", StringComparison.OrdinalIgnoreCase));
        return new Verdict(!off, off ? $"--feature-gates sets {gate}=false" : $"{gate} is on (the default)");
    }

    private static Verdict UniqueEtcdCa(ControlPlaneComponent etcd, ControlPlaneContext context)
    {
        string? etcdCa = etcd.Get("trusted-ca-file");
        if (etcdCa is null)
        {
            return new Verdict(false, "--trusted-ca-file is not set");
        }

        string? clusterCa = context.Components.Where(x => x.Name == ControlPlaneComponents.ApiServer).Select(x => x.Get("client-ca-file")).FirstOrDefault(x => x is not null);
        return new Verdict(clusterCa is null || clusterCa != etcdCa, clusterCa == etcdCa ? $"--trusted-ca-file={etcdCa} is the API server's --client-ca-file: the cluster CA also vouches for etcd clients" : $"--trusted-ca-file={etcdCa}");
    }

    private static Dictionary<string, string> Flags(params (string Flag, string Value)[] flags) => flags.ToDictionary(f => f.Flag, f => f.Value, StringComparer.Ordinal);

    private static Dictionary<string, string?> Change(params (string Flag, string? Value)[] flags) => flags.ToDictionary(f => f.Flag, f => f.Value, StringComparer.Ordinal);

    private const string Api = ControlPlaneComponents.ApiServer;
    private const string Cm = ControlPlaneComponents.ControllerManager;
    private const string Sched = ControlPlaneComponents.Scheduler;
    private const string Etcd = ControlPlaneComponents.Etcd;

    public static IReadOnlyList<ControlPlaneCheck> All { get; } = new ControlPlaneCheck[]
    {
        new("KSEC-CP-002", (c, _) => Bool(c, "anonymous-auth", false, true)) { CompliantFlags = Flags(("anonymous-auth", "false")), ViolatingFlags = Change(("anonymous-auth", null)) },
        new("KSEC-CP-003", (c, _) => NotSet(c, "token-auth-file")) { CompliantFlags = Flags(), ViolatingFlags = Change(("token-auth-file", "/etc/kubernetes/tokens.csv")) },
        new("KSEC-CP-004", (c, _) => PluginEnabled(c, "DenyServiceExternalIPs")) { CompliantFlags = Flags(("enable-admission-plugins", "NodeRestriction,DenyServiceExternalIPs")), ViolatingFlags = Change(("enable-admission-plugins", "NodeRestriction")) },
        new("KSEC-CP-005", (c, _) => Set(c, "kubelet-client-certificate", "kubelet-client-key")) { CompliantFlags = Flags(), ViolatingFlags = Change(("kubelet-client-key", null)) },
        new("KSEC-CP-006", (c, _) => Set(c, "kubelet-certificate-authority")) { CompliantFlags = Flags(("kubelet-certificate-authority", "/etc/kubernetes/pki/ca.crt")), ViolatingFlags = Change(("kubelet-certificate-authority", null)) },
        new("KSEC-CP-007", (c, _) => AuthorizationMode(c, m => !m.Contains("AlwaysAllow"))) { CompliantFlags = Flags(), ViolatingFlags = Change(("authorization-mode", "AlwaysAllow")) },
        new("KSEC-CP-008", (c, _) => AuthorizationMode(c, m => m.Contains("Node"))) { CompliantFlags = Flags(), ViolatingFlags = Change(("authorization-mode", "RBAC")) },
        new("KSEC-CP-009", (c, _) => AuthorizationMode(c, m => m.Contains("RBAC"))) { CompliantFlags = Flags(), ViolatingFlags = Change(("authorization-mode", "Node")) },
        new("KSEC-CP-010", (c, _) => PluginEnabled(c, "EventRateLimit")) { CompliantFlags = Flags(("enable-admission-plugins", "NodeRestriction,EventRateLimit")), ViolatingFlags = Change(("enable-admission-plugins", "NodeRestriction")) },
        new("KSEC-CP-011", (c, _) => PluginDisabled(c, "AlwaysAdmit")) { CompliantFlags = Flags(), ViolatingFlags = Change(("enable-admission-plugins", "NodeRestriction,AlwaysAdmit")) },
        new("KSEC-CP-012", (c, _) => PluginEnabled(c, "AlwaysPullImages")) { CompliantFlags = Flags(("enable-admission-plugins", "NodeRestriction,AlwaysPullImages")), ViolatingFlags = Change(("enable-admission-plugins", "NodeRestriction")) },
        new("KSEC-CP-013", (c, _) => PluginEnabled(c, "ServiceAccount")) { CompliantFlags = Flags(), ViolatingFlags = Change(("disable-admission-plugins", "ServiceAccount")) },
        new("KSEC-CP-014", (c, _) => PluginEnabled(c, "NamespaceLifecycle")) { CompliantFlags = Flags(), ViolatingFlags = Change(("disable-admission-plugins", "NamespaceLifecycle")) },
        new("KSEC-CP-015", (c, _) => PluginEnabled(c, "NodeRestriction")) { CompliantFlags = Flags(), ViolatingFlags = Change(("enable-admission-plugins", null)) },
        new("KSEC-CP-016", (c, _) => Bool(c, "profiling", false, true)) { CompliantFlags = Flags(), ViolatingFlags = Change(("profiling", null)) },
        new("KSEC-CP-017", (c, _) => Set(c, "audit-log-path")) { CompliantFlags = Flags(), ViolatingFlags = Change(("audit-log-path", null)) },
        new("KSEC-CP-018", (c, _) => AtLeast(c, "audit-log-maxage", 30, "nothing is removed by age")) { CompliantFlags = Flags(), ViolatingFlags = Change(("audit-log-maxage", "7")) },
        new("KSEC-CP-019", (c, _) => AtLeast(c, "audit-log-maxbackup", 10, "every rotated file is kept")) { CompliantFlags = Flags(), ViolatingFlags = Change(("audit-log-maxbackup", "3")) },
        new("KSEC-CP-020", (c, _) => AtLeast(c, "audit-log-maxsize", 100, "the log library rotates at 100 MB")) { CompliantFlags = Flags(), ViolatingFlags = Change(("audit-log-maxsize", "10")) },
        new("KSEC-CP-021", (c, _) => Bool(c, "service-account-lookup", true, true)) { CompliantFlags = Flags(), ViolatingFlags = Change(("service-account-lookup", "false")) },
        new("KSEC-CP-022", (c, _) => Set(c, "service-account-key-file")) { CompliantFlags = Flags(), ViolatingFlags = Change(("service-account-key-file", null)) },
        new("KSEC-CP-023", (c, _) => Set(c, "etcd-certfile", "etcd-keyfile")) { CompliantFlags = Flags(), ViolatingFlags = Change(("etcd-certfile", null)) },
        new("KSEC-CP-024", (c, _) => Set(c, "tls-cert-file", "tls-private-key-file")) { CompliantFlags = Flags(), ViolatingFlags = Change(("tls-private-key-file", null)) },
        new("KSEC-CP-025", (c, _) => Set(c, "client-ca-file")) { CompliantFlags = Flags(), ViolatingFlags = Change(("client-ca-file", null)) },
        new("KSEC-CP-026", (c, _) => Set(c, "etcd-cafile")) { CompliantFlags = Flags(), ViolatingFlags = Change(("etcd-cafile", null)) },
        new("KSEC-CP-027", (c, _) => StrongCiphers(c)) { CompliantFlags = Flags(), ViolatingFlags = Change(("tls-cipher-suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_3DES_EDE_CBC_SHA")) },
        new("KSEC-CP-028", (c, _) => MinimumTls(c)) { CompliantFlags = Flags(), ViolatingFlags = Change(("tls-min-version", "VersionTLS10")) },

        new("KSEC-CP-029", (c, _) => Set(c, "terminated-pod-gc-threshold")) { CompliantFlags = Flags(("terminated-pod-gc-threshold", "100")), ViolatingFlags = Change(("terminated-pod-gc-threshold", null)) },
        new("KSEC-CP-030", (c, _) => Bool(c, "profiling", false, true)) { CompliantFlags = Flags(), ViolatingFlags = Change(("profiling", "true")) },
        new("KSEC-CP-031", (c, _) => Bool(c, "use-service-account-credentials", true, false)) { CompliantFlags = Flags(), ViolatingFlags = Change(("use-service-account-credentials", null)) },
        new("KSEC-CP-032", (c, _) => Set(c, "service-account-private-key-file")) { CompliantFlags = Flags(), ViolatingFlags = Change(("service-account-private-key-file", null)) },
        new("KSEC-CP-033", (c, _) => Set(c, "root-ca-file")) { CompliantFlags = Flags(), ViolatingFlags = Change(("root-ca-file", null)) },
        new("KSEC-CP-034", (c, _) => FeatureGateNotFalse(c, "RotateKubeletServerCertificate")) { CompliantFlags = Flags(), ViolatingFlags = Change(("feature-gates", "RotateKubeletServerCertificate=false")) },
        new("KSEC-CP-035", (c, _) => Loopback(c)) { CompliantFlags = Flags(), ViolatingFlags = Change(("bind-address", null)) },

        new("KSEC-CP-036", (c, _) => Bool(c, "profiling", false, true)) { CompliantFlags = Flags(), ViolatingFlags = Change(("profiling", null)) },
        new("KSEC-CP-037", (c, _) => Loopback(c)) { CompliantFlags = Flags(), ViolatingFlags = Change(("bind-address", "0.0.0.0")) },

        new("KSEC-CP-038", (c, _) => Set(c, "cert-file", "key-file")) { CompliantFlags = Flags(), ViolatingFlags = Change(("key-file", null)) },
        new("KSEC-CP-039", (c, _) => Bool(c, "client-cert-auth", true, false)) { CompliantFlags = Flags(), ViolatingFlags = Change(("client-cert-auth", null)) },
        new("KSEC-CP-040", (c, _) => Bool(c, "auto-tls", false, false)) { CompliantFlags = Flags(), ViolatingFlags = Change(("auto-tls", "true")) },
        new("KSEC-CP-041", (c, _) => Set(c, "peer-cert-file", "peer-key-file")) { CompliantFlags = Flags(), ViolatingFlags = Change(("peer-cert-file", null)) },
        new("KSEC-CP-042", (c, _) => Bool(c, "peer-client-cert-auth", true, false)) { CompliantFlags = Flags(), ViolatingFlags = Change(("peer-client-cert-auth", "false")) },
        new("KSEC-CP-043", (c, _) => Bool(c, "peer-auto-tls", false, false)) { CompliantFlags = Flags(), ViolatingFlags = Change(("peer-auto-tls", "true")) },
        new("KSEC-CP-045", (c, _) => Set(c, "audit-policy-file")) { CompliantFlags = Flags(), ViolatingFlags = Change(("audit-policy-file", null)) },
        new("KSEC-CP-044", UniqueEtcdCa) { CompliantFlags = Flags(), ViolatingFlags = Change(("trusted-ca-file", "/etc/kubernetes/pki/ca.crt")) },
    };

    /// <summary>The flags a component meeting every check is given in fixtures and tests (kubeadm's, hardened).</summary>
    public static IReadOnlyDictionary<string, string> Hardened(string component) => component switch
    {
        Api => Flags(("advertise-address", "10.0.0.10"), ("anonymous-auth", "false"), ("authorization-mode", "Node,RBAC"), ("client-ca-file", "/etc/kubernetes/pki/ca.crt"),
            ("enable-admission-plugins", "NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs"), ("admission-control-config-file", "/etc/kubernetes/admission.yaml"),
            ("etcd-cafile", "/etc/kubernetes/pki/etcd/ca.crt"), ("etcd-certfile", "/etc/kubernetes/pki/apiserver-etcd-client.crt"), ("etcd-keyfile", "/etc/kubernetes/pki/apiserver-etcd-client.key"),
            ("etcd-servers", "https://127.0.0.1:2379"), ("kubelet-client-certificate", "/etc/kubernetes/pki/apiserver-kubelet-client.crt"), ("kubelet-client-key", "/etc/kubernetes/pki/apiserver-kubelet-client.key"),
            ("kubelet-certificate-authority", "/etc/kubernetes/pki/ca.crt"), ("profiling", "false"), ("audit-log-path", "/var/log/kubernetes/audit/audit.log"),
            ("audit-policy-file", "/etc/kubernetes/audit-policy.yaml"), ("audit-log-maxage", "30"), ("audit-log-maxbackup", "10"), ("audit-log-maxsize", "100"),
            ("service-account-key-file", "/etc/kubernetes/pki/sa.pub"), ("service-account-signing-key-file", "/etc/kubernetes/pki/sa.key"), ("service-account-issuer", "https://kubernetes.default.svc.cluster.local"),
            ("tls-cert-file", "/etc/kubernetes/pki/apiserver.crt"), ("tls-private-key-file", "/etc/kubernetes/pki/apiserver.key"), ("encryption-provider-config", "/etc/kubernetes/encryption.yaml")),
        Cm => Flags(("authentication-kubeconfig", "/etc/kubernetes/controller-manager.conf"), ("authorization-kubeconfig", "/etc/kubernetes/controller-manager.conf"), ("bind-address", "127.0.0.1"),
            ("kubeconfig", "/etc/kubernetes/controller-manager.conf"), ("profiling", "false"), ("root-ca-file", "/etc/kubernetes/pki/ca.crt"),
            ("service-account-private-key-file", "/etc/kubernetes/pki/sa.key"), ("use-service-account-credentials", "true"), ("terminated-pod-gc-threshold", "100")),
        Sched => Flags(("authentication-kubeconfig", "/etc/kubernetes/scheduler.conf"), ("authorization-kubeconfig", "/etc/kubernetes/scheduler.conf"), ("bind-address", "127.0.0.1"),
            ("kubeconfig", "/etc/kubernetes/scheduler.conf"), ("profiling", "false")),
        _ => Flags(("advertise-client-urls", "https://10.0.0.10:2379"), ("cert-file", "/etc/kubernetes/pki/etcd/server.crt"), ("key-file", "/etc/kubernetes/pki/etcd/server.key"),
            ("client-cert-auth", "true"), ("trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"), ("peer-cert-file", "/etc/kubernetes/pki/etcd/peer.crt"),
            ("peer-key-file", "/etc/kubernetes/pki/etcd/peer.key"), ("peer-client-cert-auth", "true"), ("peer-trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"), ("data-dir", "/var/lib/etcd")),
    };
}
