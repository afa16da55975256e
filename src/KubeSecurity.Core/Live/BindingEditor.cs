using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Live;

/// <summary>The binding does not name the subject to remove.</summary>
public sealed class BindingSubjectNotFoundException(string message) : Exception(message);

/// <summary>
/// Removes subjects from RoleBindings and ClusterRoleBindings on a live cluster: replaces the
/// binding without the subject (carrying its resourceVersion, so a concurrent change is a
/// conflict), or deletes it when no subject would remain. The binding as it was is returned.
/// </summary>
public static class BindingEditor
{
    public static async Task<KubeObject> GetAsync(KubeConnection connection, string kind, string? ns, string name, CancellationToken cancellationToken)
    {
        string path = ItemPath(kind, ns, name);
        using HttpResponseMessage response = await connection.GetAsync(path, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ObjectApplier.FailureAsync(response, "GET", path, cancellationToken).ConfigureAwait(false);
        }

        return await ObjectApplier.ReadObjectAsync(response, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The subjects of <paramref name="binding"/> without those matching <paramref name="subject"/>
    /// (all of them when it is null), or throws when none match.
    /// </summary>
    public static JsonArray RemainingSubjects(KubeObject binding, RbacSubject? subject, out int removed)
    {
        var remaining = new JsonArray();
        removed = 0;
        if (binding.Json.TryGet("subjects"u8, out JsonElement subjects) && subjects.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement entry in subjects.EnumerateArray())
            {
                if (subject is null || Matches(entry, subject, binding.Namespace))
                {
                    removed++;
                    continue;
                }

                remaining.Add(JsonNode.Parse(entry.GetRawText()));
            }
        }

        if (removed == 0)
        {
            throw new BindingSubjectNotFoundException($"{binding.ToResourceRef()} does not name {subject}; its subjects are left as they are.");
        }

        return remaining;
    }

    private static bool Matches(JsonElement entry, RbacSubject subject, string? bindingNamespace)
    {
        string? kind = JsonRead.String(entry, "kind");
        string? name = JsonRead.String(entry, "name");
        if (kind == RbacSubject.ServiceAccountKind)
        {
            string? ns = JsonRead.String(entry, "namespace");
            return subject.Kind == kind && subject.Name == name && subject.Namespace == (string.IsNullOrEmpty(ns) ? bindingNamespace : ns);
        }

        return kind == RbacSubject.UserKind && subject.Kind == RbacSubject.ServiceAccountKind
            ? name == subject.UserName
            : kind == subject.Kind && name == subject.Name;
    }

    /// <summary>The binding with only the remaining subjects (for manifests).</summary>
    public static KubeObject WithSubjects(KubeObject binding, JsonArray remaining)
    {
        JsonObject body = KubeObjectJson.ToNode(binding);
        body["subjects"] = remaining.DeepClone();
        return KubeObject.Create(JsonDocument.Parse(body.ToJsonString()).RootElement, binding.Origin);
    }

    public static async Task<ApplyResult> RemoveSubjectAsync(KubeConnection connection, KubeObject current, JsonArray remaining, CancellationToken cancellationToken)
    {
        string path = ItemPath(current.Kind, current.Namespace, current.Name);
        if (remaining.Count == 0)
        {
            using HttpResponseMessage deleted = await connection.SendAsync(HttpMethod.Delete, path, ObjectApplier.DeleteOptions(current), cancellationToken).ConfigureAwait(false);
            if (!deleted.IsSuccessStatusCode)
            {
                throw await ObjectApplier.FailureAsync(deleted, "DELETE", path, cancellationToken).ConfigureAwait(false);
            }

            return new ApplyResult("Deleted", current.ToResourceRef(), connection.Context, current, current);
        }

        JsonObject body = KubeObjectJson.ToNode(current);
        body["subjects"] = remaining;
        using HttpResponseMessage response = await connection.SendAsync(HttpMethod.Put, path, body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ObjectApplier.FailureAsync(response, "PUT", path, cancellationToken).ConfigureAwait(false);
        }

        KubeObject updated = await ObjectApplier.ReadObjectAsync(response, path, cancellationToken).ConfigureAwait(false);
        return new ApplyResult("SubjectRemoved", updated.ToResourceRef(), connection.Context, updated, current);
    }

    private static string ItemPath(string kind, string? ns, string name)
    {
        if (kind is not ("RoleBinding" or "ClusterRoleBinding") || !KnownKinds.TryGet(kind, out KnownKind known))
        {
            throw new ArgumentException($"Only RoleBindings and ClusterRoleBindings can be edited, not {kind}.", nameof(kind));
        }

        if (known.Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"A RoleBinding needs a namespace ({name}).", nameof(ns));
        }

        return $"{known.ListPath(ns)}/{Uri.EscapeDataString(name)}";
    }
}
