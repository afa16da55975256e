using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Secrets;

/// <summary>One use of a secret: who uses it, how (env, envFrom, volume, projected, imagePullSecrets, tls, serviceAccount), and where.</summary>
public sealed record SecretReference(string Namespace, string SecretName, ResourceRef User, string How, string Location, bool Optional, string? Key = null)
{
    public override string ToString() => $"{User} ({How} at {Location})";
}

/// <summary>Every reference to a secret in the snapshot: pod specs, service accounts and ingresses.</summary>
public static class SecretReferences
{
    public static List<SecretReference> Find(KubeSnapshot snapshot, IReadOnlyList<PodSpecSite>? sites = null)
    {
        var references = new List<SecretReference>();
        foreach (PodSpecSite site in sites ?? PodSpecs.Find(snapshot))
        {
            ResourceRef user = site.Owner.ToResourceRef();
            foreach ((JsonElement container, string path, _) in site.Containers())
            {
                if (container.TryGet("env"u8, out JsonElement env) && env.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement variable in env.EnumerateArray())
                    {
                        if (variable.TryGet("valueFrom"u8, out JsonElement from) && from.TryGet("secretKeyRef"u8, out JsonElement secretKey)
                            && JsonRead.String(secretKey, "name") is string name)
                        {
                            references.Add(new SecretReference(site.Namespace, name, user, "env", $"{path}.env[{JsonRead.String(variable, "name")}]", Optional(secretKey), JsonRead.String(secretKey, "key")));
                        }
                    }
                }

                if (container.TryGet("envFrom"u8, out JsonElement envFrom) && envFrom.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement source in envFrom.EnumerateArray())
                    {
                        if (source.TryGet("secretRef"u8, out JsonElement secretRef) && JsonRead.String(secretRef, "name") is string name)
                        {
                            references.Add(new SecretReference(site.Namespace, name, user, "envFrom", $"{path}.envFrom", Optional(secretRef)));
                        }
                    }
                }
            }

            if (site.Spec.TryGet("volumes"u8, out JsonElement volumes) && volumes.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement volume in volumes.EnumerateArray())
                {
                    string volumeName = JsonRead.String(volume, "name") ?? "?";
                    if (volume.TryGet("secret"u8, out JsonElement secret) && JsonRead.String(secret, "secretName") is string name)
                    {
                        references.Add(new SecretReference(site.Namespace, name, user, "volume", $"{site.Path}.volumes[{volumeName}]", Optional(secret)));
                    }

                    if (volume.TryGet("projected"u8, out JsonElement projected) && projected.TryGet("sources"u8, out JsonElement sources) && sources.ValueKind == JsonValueKind.Array)
                    {
                        foreach (JsonElement source in sources.EnumerateArray())
                        {
                            if (source.TryGet("secret"u8, out JsonElement projectedSecret) && JsonRead.String(projectedSecret, "name") is string name2)
                            {
                                references.Add(new SecretReference(site.Namespace, name2, user, "projected", $"{site.Path}.volumes[{volumeName}]", Optional(projectedSecret)));
                            }
                        }
                    }
                }
            }

            foreach (string name in Names(site.Spec, "imagePullSecrets"))
            {
                references.Add(new SecretReference(site.Namespace, name, user, "imagePullSecrets", $"{site.Path}.imagePullSecrets", false));
            }
        }

        foreach (KubeObject account in snapshot.OfKind("ServiceAccount"))
        {
            foreach (string name in Names(account.Json, "secrets"))
            {
                references.Add(new SecretReference(account.Namespace ?? "default", name, account.ToResourceRef(), "serviceAccount", "secrets", true));
            }

            foreach (string name in Names(account.Json, "imagePullSecrets"))
            {
                references.Add(new SecretReference(account.Namespace ?? "default", name, account.ToResourceRef(), "imagePullSecrets", "imagePullSecrets", false));
            }
        }

        foreach (KubeObject ingress in snapshot.OfKind("Ingress"))
        {
            if (ingress.Json.TryGet("spec"u8, out JsonElement spec) && spec.TryGet("tls"u8, out JsonElement tls) && tls.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement entry in tls.EnumerateArray())
                {
                    if (JsonRead.String(entry, "secretName") is string name)
                    {
                        references.Add(new SecretReference(ingress.Namespace ?? "default", name, ingress.ToResourceRef(), "tls", "spec.tls", false));
                    }
                }
            }
        }

        return references;
    }

    private static bool Optional(JsonElement reference) => reference.TryGet("optional"u8, out JsonElement optional) && optional.ValueKind == JsonValueKind.True;

    private static IEnumerable<string> Names(JsonElement obj, string field) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGet(field, out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => JsonRead.String(e, "name")).Where(n => n is not null).Select(n => n!)
            : Enumerable.Empty<string>();
}
