using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Live;

/// <summary>
/// Create-or-replace of namespaced core objects on a live cluster, returning the previous version
/// as a backup. Replacement carries a resourceVersion (the desired object's own when it was derived
/// from a version read earlier), so a concurrent change is a conflict rather than a silent overwrite.
/// </summary>
public static class ObjectApplier
{
    /// <param name="unchangedWhenEqual">A top-level property (such as <c>spec</c>): when the live object's equals the desired one, nothing is written and the result is Unchanged.</param>
    public static async Task<ApplyResult> ApplyAsync(KubeConnection connection, KubeObject desired, CancellationToken cancellationToken, string? unchangedWhenEqual = null)
    {
        if (!KnownKinds.TryGet(desired.Kind, out KnownKind kind) || (kind.Namespaced && desired.Namespace is null))
        {
            throw new ArgumentException($"Only kinds the snapshot knows can be applied (namespaced ones with a namespace), not {desired.Kind}.", nameof(desired));
        }

        string collection = kind.ListPath(desired.Namespace);
        string item = $"{collection}/{Uri.EscapeDataString(desired.Name)}";
        KubeObject? previous = null;
        using (HttpResponseMessage existing = await connection.GetAsync(item, cancellationToken).ConfigureAwait(false))
        {
            if (existing.IsSuccessStatusCode)
            {
                previous = await ReadObjectAsync(existing, item, cancellationToken).ConfigureAwait(false);
            }
            else if (existing.StatusCode != HttpStatusCode.NotFound)
            {
                throw await FailureAsync(existing, "GET", item, cancellationToken).ConfigureAwait(false);
            }
        }

        if (previous is not null && unchangedWhenEqual is not null
            && previous.Json.TryGet(unchangedWhenEqual, out JsonElement before) && desired.Json.TryGet(unchangedWhenEqual, out JsonElement wanted)
            && JsonNode.DeepEquals(JsonNode.Parse(before.GetRawText()), JsonNode.Parse(wanted.GetRawText())))
        {
            return new ApplyResult("Unchanged", previous.ToResourceRef(), connection.Context, previous, previous);
        }

        JsonObject body = KubeObjectJson.ToNode(desired);
        // A desired object derived from a version read earlier (a repair plan, a confirmed change)
        // keeps that version, so a change made since then is a 409 Conflict, never overwritten. An
        // object with no version of its own (a generated policy) replaces the version just read.
        if (previous is not null && ResourceVersion(desired) is null && ResourceVersion(previous) is string version)
        {
            ((JsonObject)body["metadata"]!)["resourceVersion"] = version;
        }

        (HttpMethod method, string path) = previous is null ? (HttpMethod.Post, collection) : (HttpMethod.Put, item);
        using HttpResponseMessage response = await connection.SendAsync(method, path, body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, method.Method, path, cancellationToken).ConfigureAwait(false);
        }

        KubeObject current = await ReadObjectAsync(response, path, cancellationToken).ConfigureAwait(false);
        return new ApplyResult(previous is null ? "Created" : "Replaced", current.ToResourceRef(), connection.Context, current, previous);
    }

    internal static async Task<KubeObject> ReadObjectAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        JsonDocument document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), default, cancellationToken).ConfigureAwait(false);
        return KubeObject.TryCreate(document.RootElement, path, out KubeObject? created, out string? problem)
            ? created!
            : throw new KubeApiException(ApiFailure.BadResponse, $"The API server answered {path} with something that is not a Kubernetes object ({problem}).", (int)response.StatusCode, path);
    }

    internal static async Task<KubeApiException> FailureAsync(HttpResponseMessage response, string method, string path, CancellationToken cancellationToken)
    {
        string message = await KubeConnection.ReadStatusMessageAsync(response, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        string advice = status == 409 && method is "PUT" or "DELETE"
            ? " The object changed after KubeSecurity read it; nothing was written. Run the command again to work from its current version."
            : string.Empty;
        return new KubeApiException(KubeApiException.FromStatus(status), $"{method} {path} failed ({status}): {message}{advice}", status, path);
    }

    /// <summary>metadata.resourceVersion, or null.</summary>
    internal static string? ResourceVersion(KubeObject item) =>
        item.Json.TryGet("metadata"u8, out JsonElement metadata) && metadata.TryGet("resourceVersion"u8, out JsonElement version) && version.ValueKind == JsonValueKind.String
            ? version.AsString()
            : null;

    /// <summary>
    /// DeleteOptions whose preconditions (uid, resourceVersion) make the API server refuse the
    /// delete with 409 when the object changed, or was replaced, after it was read.
    /// </summary>
    internal static string DeleteOptions(KubeObject current)
    {
        var preconditions = new JsonObject();
        if (current.Json.TryGet("metadata"u8, out JsonElement metadata) && metadata.TryGet("uid"u8, out JsonElement uid) && uid.ValueKind == JsonValueKind.String)
        {
            preconditions["uid"] = uid.AsString();
        }

        if (ResourceVersion(current) is string version)
        {
            preconditions["resourceVersion"] = version;
        }

        return new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["preconditions"] = preconditions }.ToJsonString();
    }
}
