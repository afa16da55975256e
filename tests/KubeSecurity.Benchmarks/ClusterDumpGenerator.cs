using System.Globalization;
using System.Text;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// A deterministic 50,000-object cluster dump: 10k pods, 5k secrets, 10k RBAC objects, 2k network
/// policies, and the config maps, services, service accounts and controllers around them.
/// </summary>
internal static class ClusterDumpGenerator
{
    public const int Namespaces = 100;

    public static IEnumerable<(string Kind, int Count)> Plan { get; } = new[]
    {
        ("Pod", 10_000), ("Secret", 5_000), ("Role", 2_500), ("RoleBinding", 2_500), ("ClusterRole", 2_500), ("ClusterRoleBinding", 2_500),
        ("NetworkPolicy", 2_000), ("ConfigMap", 8_000), ("Service", 5_000), ("ServiceAccount", 5_000), ("Deployment", 3_000), ("ReplicaSet", 2_000),
    };

    public static int TotalObjects => Plan.Sum(p => p.Count);

    /// <summary>Multi-document YAML, as `helm template` or a folder of manifests concatenated.</summary>
    public static string MultiDocumentYaml()
    {
        var text = new StringBuilder(96 * 1024 * 1024);
        foreach ((string kind, int count) in Plan)
        {
            for (int i = 0; i < count; i++)
            {
                text.Append("---\n");
                AppendYaml(text, kind, i, "");
            }
        }

        return text.ToString();
    }

    /// <summary>One `kind: List` YAML document, as `kubectl get -A -o yaml` prints.</summary>
    public static string ListYaml()
    {
        var text = new StringBuilder(96 * 1024 * 1024);
        text.Append("apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n");
        foreach ((string kind, int count) in Plan)
        {
            for (int i = 0; i < count; i++)
            {
                var item = new StringBuilder();
                AppendYaml(item, kind, i, "");
                string[] lines = item.ToString().TrimEnd('\n').Split('\n');
                text.Append("- ").Append(lines[0]).Append('\n');
                foreach (string line in lines.Skip(1))
                {
                    text.Append("  ").Append(line).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static string Ns(int i) => "team-" + (i % Namespaces).ToString("D3", CultureInfo.InvariantCulture);

    private static void AppendYaml(StringBuilder s, string kind, int i, string _)
    {
        string ns = Ns(i);
        string app = "app-" + (i % 400).ToString(CultureInfo.InvariantCulture);
        switch (kind)
        {
            case "Pod":
                s.Append($"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {app}-{i:x8}-x{i % 7}\n  namespace: {ns}\n  uid: 6f1c{i:x8}-1b2c-4d5e-8f90-a1b2c3d4e5f6\n  creationTimestamp: \"2026-10-{1 + (i % 28):D2}T08:00:00Z\"\n  labels:\n    app: {app}\n    pod-template-hash: {i:x8}\n    tier: {(i % 3 == 0 ? "web" : "backend")}\n  ownerReferences:\n  - apiVersion: apps/v1\n    kind: ReplicaSet\n    name: {app}-{i:x8}\n    uid: 7a2d{i:x8}-1b2c-4d5e-8f90-a1b2c3d4e5f6\n    controller: true\n    blockOwnerDeletion: true\n");
                s.Append($"spec:\n  serviceAccountName: {app}\n  nodeName: node-{i % 50}\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: {10000 + (i % 100)}\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: main\n    image: registry.example.com/{app}:1.{i % 20}.{i % 7}\n    imagePullPolicy: IfNotPresent\n    ports:\n    - name: http\n      containerPort: 8080\n      protocol: TCP\n    env:\n    - name: LOG_LEVEL\n      value: info\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef:\n          name: {app}-db\n          key: password\n    resources:\n      limits:\n        cpu: 500m\n        memory: 256Mi\n      requests:\n        cpu: 100m\n        memory: 128Mi\n    securityContext:\n      allowPrivilegeEscalation: false\n      readOnlyRootFilesystem: true\n      capabilities:\n        drop: [\"ALL\"]\n    volumeMounts:\n    - name: config\n      mountPath: /etc/app\n      readOnly: true\n  volumes:\n  - name: config\n    configMap:\n      name: {app}-config\n");
                s.Append($"status:\n  phase: Running\n  podIP: 10.{i % 250}.{(i / 250) % 250}.{i % 200}\n  hostIP: 192.168.0.{i % 50}\n  startTime: \"2026-10-{1 + (i % 28):D2}T08:00:05Z\"\n");
                break;
            case "Secret":
                s.Append($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {app}-db-{i}\n  namespace: {ns}\n  creationTimestamp: \"2026-01-{1 + (i % 28):D2}T00:00:00Z\"\ntype: {(i % 5 == 0 ? "kubernetes.io/tls" : "Opaque")}\ndata:\n  username: {Convert.ToBase64String(Encoding.ASCII.GetBytes(app))}\n  password: {Convert.ToBase64String(Encoding.ASCII.GetBytes($"p@ss-{i:x8}-{i * 7919:x8}"))}\n");
                break;
            case "Role":
            case "ClusterRole":
                s.Append($"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {kind.ToLowerInvariant()}-{i}\n");
                if (kind == "Role")
                {
                    s.Append($"  namespace: {ns}\n");
                }

                s.Append("rules:\n- apiGroups: [\"\"]\n  resources: [\"pods\", \"services\", \"configmaps\"]\n  verbs: [\"get\", \"list\", \"watch\"]\n- apiGroups: [\"apps\"]\n  resources: [\"deployments\"]\n  verbs: [\"get\", \"list\", \"watch\", \"update\", \"patch\"]\n");
                if (i % 10 == 0)
                {
                    s.Append("- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  verbs: [\"get\"]\n  resourceNames: [\"a\", \"b\"]\n");
                }

                break;
            case "RoleBinding":
            case "ClusterRoleBinding":
                s.Append($"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {kind.ToLowerInvariant()}-{i}\n");
                if (kind == "RoleBinding")
                {
                    s.Append($"  namespace: {ns}\n");
                }

                s.Append($"roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {(kind == "RoleBinding" && i % 2 == 0 ? "Role" : "ClusterRole")}\n  name: {(kind == "RoleBinding" && i % 2 == 0 ? "role" : "clusterrole")}-{i}\nsubjects:\n- kind: ServiceAccount\n  name: {app}\n  namespace: {ns}\n- apiGroup: rbac.authorization.k8s.io\n  kind: Group\n  name: team-{i % 40}\n");
                break;
            case "NetworkPolicy":
                s.Append($"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-{i}\n  namespace: {ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: {app}\n  policyTypes: [\"Ingress\", \"Egress\"]\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: {Ns(i + 1)}\n      podSelector:\n        matchExpressions:\n        - key: tier\n          operator: In\n          values: [\"web\", \"backend\"]\n    ports:\n    - port: http\n      protocol: TCP\n    - port: 9000\n      endPort: 9100\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [\"10.99.0.0/16\"]\n");
                break;
            case "ConfigMap":
                s.Append($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}-config-{i}\n  namespace: {ns}\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: \"a,b,c\"\n  config.yaml: |\n    server:\n      port: 8080\n      timeout: 30s\n    cache:\n      size: {i % 1000}\n");
                break;
            case "Service":
                s.Append($"apiVersion: v1\nkind: Service\nmetadata:\n  name: {app}-svc-{i}\n  namespace: {ns}\nspec:\n  selector:\n    app: {app}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n  clusterIP: 10.96.{i % 250}.{(i / 250) % 250}\n");
                break;
            case "ServiceAccount":
                s.Append($"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {app}-sa-{i}\n  namespace: {ns}\nautomountServiceAccountToken: {(i % 2 == 0 ? "false" : "true")}\n");
                break;
            case "Deployment":
            case "ReplicaSet":
                s.Append($"apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: {app}-{kind.ToLowerInvariant()}-{i}\n  namespace: {ns}\n  labels:\n    app: {app}\nspec:\n  replicas: {1 + (i % 5)}\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n    spec:\n      serviceAccountName: {app}\n      containers:\n      - name: main\n        image: registry.example.com/{app}:1.{i % 20}.0\n        ports:\n        - name: http\n          containerPort: 8080\n        resources:\n          limits:\n            cpu: 500m\n            memory: 256Mi\n");
                break;
        }
    }
}
