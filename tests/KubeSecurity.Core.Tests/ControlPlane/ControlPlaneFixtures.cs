using System.Text;
using KubeSecurity.Core.ControlPlane;

namespace KubeSecurity.Core.Tests.ControlPlane;

/// <summary>kubeadm-style static pods for the control-plane components, with the flags a test wants.</summary>
internal static class ControlPlaneFixtures
{
    public static string Pod(string component, IReadOnlyDictionary<string, string> flags, string node = "cp-1")
    {
        var text = new StringBuilder();
        text.Append($"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {component}-{node}\n  namespace: kube-system\n  labels: {{component: {component}, tier: control-plane}}\n");
        text.Append($"spec:\n  nodeName: {node}\n  hostNetwork: true\n  priorityClassName: system-node-critical\n  containers:\n  - name: {component}\n");
        text.Append($"    image: registry.k8s.io/{component}:{(component == ControlPlaneComponents.Etcd ? "3.5.15-0" : "v1.31.2")}\n    command:\n    - {component}\n");
        foreach (var flag in flags.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            text.Append($"    - --{flag.Key}={flag.Value}\n");
        }

        return text.ToString();
    }

    /// <summary>A control plane meeting every check, with one component's flags changed (null removes a flag).</summary>
    public static string HardenedControlPlane(string? changedComponent = null, IReadOnlyDictionary<string, string?>? changes = null, bool withEtcd = true)
    {
        var text = new StringBuilder();
        foreach (string component in ControlPlaneComponents.All.Where(c => withEtcd || c != ControlPlaneComponents.Etcd))
        {
            var flags = new Dictionary<string, string>(ControlPlaneChecks.Hardened(component), StringComparer.Ordinal);
            if (component == changedComponent && changes is not null)
            {
                foreach (var change in changes)
                {
                    if (change.Value is null)
                    {
                        flags.Remove(change.Key);
                    }
                    else
                    {
                        flags[change.Key] = change.Value;
                    }
                }
            }

            text.Append(Pod(component, flags));
        }

        return text.ToString();
    }

    private static readonly string FixtureFolder = Path.Combine(TestPaths.RepoRoot, "tests", "KubeSecurity.Core.Tests", "RuleFixtures");

    // KUBESECURITY_UPDATE_RULE_FIXTURES=1 rewrites the rule fixtures generated from the check tables.
    private static readonly bool Update = Environment.GetEnvironmentVariable("KUBESECURITY_UPDATE_RULE_FIXTURES") == "1";

    /// <summary>Fails unless the rule fixture holds exactly what the check table gives (rewrites it on request).</summary>
    public static void FixtureIsCurrent(string name, string expected)
    {
        string path = Path.Combine(FixtureFolder, name);
        if (Update)
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path) && File.ReadAllText(path).ReplaceLineEndings("\n") == expected,
            $"{name} is not what the check table gives; run KUBESECURITY_UPDATE_RULE_FIXTURES=1 dotnet test --filter ControlPlane");
    }
}
