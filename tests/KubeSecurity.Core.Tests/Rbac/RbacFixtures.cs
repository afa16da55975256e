using System.Text;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Tests.Rbac;

internal static class RbacFixtures
{
    public static string Bootstrap => Path.Combine(TestPaths.SharedData, "rbac", "kubernetes-bootstrap");

    public static KubeSnapshot FromYaml(string yaml, params string[] paths)
    {
        var result = new ManifestReadResult();
        var reader = new ManifestReader();
        reader.ReadBytes(Encoding.UTF8.GetBytes(yaml), "test.yaml", result);
        if (paths.Length > 0)
        {
            result.Objects.AddRange(reader.ReadPaths(paths).Objects);
        }

        Assert.True(result.Problems.Count == 0, string.Join("\n", result.Problems));
        return new KubeSnapshot(SnapshotSource.Files, null, null, null, DateTimeOffset.UtcNow, result.Objects);
    }

    public static RbacPolicy Policy(string yaml, params string[] paths) => RbacPolicy.Build(FromYaml(yaml, paths));

    public static RbacPolicy Demo() => RbacPolicy.Build(FromYaml(string.Empty, TestPaths.DemoCluster));

    public static string ClusterRole(string name, string rules, string labels = "") => $"""
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: {name}
        {(labels.Length == 0 ? string.Empty : "  labels: " + labels)}
        rules: {rules}
        """ + "\n";

    public static string Role(string ns, string name, string rules) => $"""
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: {name}
          namespace: {ns}
        rules: {rules}
        """ + "\n";

    public static string Binding(string? ns, string name, string roleKind, string roleName, string subjects) => $"""
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: {(ns is null ? "ClusterRoleBinding" : "RoleBinding")}
        metadata:
          name: {name}
        {(ns is null ? string.Empty : "  namespace: " + ns)}
        roleRef: {"{"}apiGroup: rbac.authorization.k8s.io, kind: {roleKind}, name: {roleName}{"}"}
        subjects: {subjects}
        """ + "\n";

    public static string ServiceAccount(string ns, string name) => $"""
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        """ + "\n";

    public static string Pod(string ns, string name, string account) => $"""
        ---
        apiVersion: v1
        kind: Pod
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec: {"{"}serviceAccountName: {account}, containers: [{"{"}name: c, image: x{"}"}]{"}"}
        """ + "\n";

    public static RbacAccessResult Can(RbacPolicy policy, string subject, string verb, string resource, string? ns = null, string group = "", string? name = null) =>
        policy.Authorize(RbacIdentity.For(RbacSubject.Parse(subject)), RbacRequest.ForResource(verb, resource, group, ns, name));
}
