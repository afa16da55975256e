using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Live;

/// <summary>Reads and deletes namespaced objects on a live cluster; the object as it was is returned as a backup.</summary>
public static class ObjectRemover
{
    public static async Task<KubeObject> GetAsync(KubeConnection connection, string kind, string? ns, string name, CancellationToken cancellationToken)
    {
        string path = ItemPath(kind, ns, name);
        using HttpResponseMessage response = await connection.GetAsync(path, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? await ObjectApplier.ReadObjectAsync(response, path, cancellationToken).ConfigureAwait(false)
            : throw await ObjectApplier.FailureAsync(response, "GET", path, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ApplyResult> DeleteAsync(KubeConnection connection, KubeObject current, CancellationToken cancellationToken)
    {
        string path = ItemPath(current.Kind, current.Namespace, current.Name);
        using HttpResponseMessage response = await connection.SendAsync(HttpMethod.Delete, path, ObjectApplier.DeleteOptions(current), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ObjectApplier.FailureAsync(response, "DELETE", path, cancellationToken).ConfigureAwait(false);
        }

        return new ApplyResult("Deleted", current.ToResourceRef(), connection.Context, current, current);
    }

    private static string ItemPath(string kind, string? ns, string name) =>
        KnownKinds.TryGet(kind, out KnownKind known) && (!known.Namespaced || ns is not null)
            ? $"{known.ListPath(ns)}/{Uri.EscapeDataString(name)}"
            : throw new ArgumentException($"Only kinds the snapshot knows (namespaced ones with a namespace) can be read or deleted, not {kind}.", nameof(kind));
}
