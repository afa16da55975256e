using System.Text.Json;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Live;

/// <summary>Namespace names from a live cluster, for tab completion: one bounded request, no retries, nothing thrown.</summary>
public static class NamespaceLister
{
    public static IReadOnlyList<string> TryList(LiveConnectionOptions options, TimeSpan timeout)
    {
        try
        {
            using KubeConnection connection = KubeConnection.Open(options with { RequestTimeout = timeout, ConnectTimeout = timeout });
            using var cancel = new CancellationTokenSource(timeout);
            using HttpResponseMessage response = connection.GetAsync("/api/v1/namespaces?limit=500", cancel.Token).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                return Array.Empty<string>();
            }

            using JsonDocument list = JsonDocument.Parse(response.Content.ReadAsStream(cancel.Token));
            return list.RootElement.TryGet("items", out JsonElement items) && items.ValueKind == JsonValueKind.Array
                ? items.EnumerateArray()
                    .Select(i => i.TryGet("metadata", out JsonElement m) && m.TryGet("name", out JsonElement n) ? n.AsString() : null)
                    .OfType<string>()
                    .ToList()
                : Array.Empty<string>();
        }
        catch (Exception ex) when (ex is KubeApiException or OperationCanceledException or HttpRequestException or JsonException or IOException)
        {
            // Completion never fails loudly: no cluster, no suggestions.
            return Array.Empty<string>();
        }
    }
}
