using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace KubeSecurity.TestApiServer;

/// <summary>
/// A local Kubernetes API server for tests: Kestrel on 127.0.0.1 with a per-run TLS PKI,
/// client-certificate and bearer-token authentication, discovery, list (limit/continue, label and
/// field selectors), get, create, update, merge patch and delete of the kinds security analysis
/// reads, Kubernetes-shaped Status errors, and fault injection. Faithful enough that the real
/// kubectl works against it.
/// </summary>
public sealed class KubeApiTestServer : IAsyncDisposable
{
    public const string ValidToken = "kubesecurity-test-token";
    private readonly Dictionary<string, ResourceStore> stores;
    private readonly ConcurrentQueue<string> requests = new();
    private readonly List<Fault> faults = new();
    private WebApplication? app;
    private long resourceVersion = 1000;
    private int requestCount;

    public KubeApiTestServer(IEnumerable<ServedResource>? resources = null)
    {
        Resources = (resources ?? ServedResource.Defaults).ToList();
        stores = Resources.ToDictionary(r => Key(r.GroupVersion, r.Plural), r => new ResourceStore(r));
        Certificates = new TestCertificates();
    }

    public IReadOnlyList<ServedResource> Resources { get; }
    public TestCertificates Certificates { get; }
    public Uri BaseAddress { get; private set; } = new("https://127.0.0.1");

    /// <summary>Latency added to every request.</summary>
    public TimeSpan Latency { get; set; }

    public int RequestCount => Volatile.Read(ref requestCount);

    /// <summary>"METHOD path?query" of every request, in arrival order.</summary>
    public IReadOnlyCollection<string> RequestLog => requests;

    public void ResetRequestLog()
    {
        requests.Clear();
        Interlocked.Exchange(ref requestCount, 0);
    }

    public Fault AddFault(Fault fault)
    {
        lock (faults)
        {
            faults.Add(fault);
        }

        return fault;
    }

    public void ClearFaults()
    {
        lock (faults)
        {
            faults.Clear();
        }
    }

    public static async Task<KubeApiTestServer> StartAsync(IEnumerable<JsonObject>? objects = null)
    {
        var server = new KubeApiTestServer();
        if (objects is not null)
        {
            server.AddObjects(objects);
        }

        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    public async Task StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = Certificates.Server,
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (certificate, _, _) => Certificates.IsIssuedByCa(certificate),
            }));
        });
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Urls.First();
        BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Adds objects (each with apiVersion, kind and metadata) to the served state.</summary>
    public void AddObjects(IEnumerable<JsonObject> objects)
    {
        foreach (JsonObject item in objects)
        {
            string apiVersion = item["apiVersion"]?.GetValue<string>() ?? throw new ArgumentException("object without apiVersion");
            string kind = item["kind"]?.GetValue<string>() ?? throw new ArgumentException("object without kind");
            ServedResource resource = Resources.FirstOrDefault(r => r.GroupVersion == apiVersion && r.Kind == kind)
                ?? throw new ArgumentException($"the test server does not serve {apiVersion} {kind}");
            Stamp(item);
            stores[Key(resource.GroupVersion, resource.Plural)].Put(item);
        }
    }

    public int Count(string plural) => stores.Values.Where(s => s.Resource.Plural == plural).Sum(s => s.Count);

    /// <summary>The stored object (a copy), or null.</summary>
    public JsonObject? Get(string plural, string? ns, string name) =>
        stores.Values.Where(s => s.Resource.Plural == plural).Select(s => s.TryGet(ns, name, out StoredObject? found) ? (JsonObject)found!.Node.DeepClone() : null).FirstOrDefault(o => o is not null);

    /// <summary>Writes a kubeconfig with contexts test-cert (client certificate), test-token (bearer) and bad-token (rejected).</summary>
    public string WriteKubeconfig(string path, string currentContext = "test-cert")
    {
        static string B64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
        string server = BaseAddress.ToString().TrimEnd('/');
        string yaml = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: kubesecurity-test
              cluster:
                server: {server}
                certificate-authority-data: {B64(TestCertificates.CertificatePem(Certificates.Ca))}
            users:
            - name: test-admin
              user:
                client-certificate-data: {B64(TestCertificates.CertificatePem(Certificates.Client))}
                client-key-data: {B64(TestCertificates.PrivateKeyPem(Certificates.Client))}
            - name: test-token
              user:
                token: {ValidToken}
            - name: bad-token
              user:
                token: not-a-valid-token
            contexts:
            - name: test-cert
              context:
                cluster: kubesecurity-test
                user: test-admin
            - name: test-token
              context:
                cluster: kubesecurity-test
                user: test-token
            - name: bad-token
              context:
                cluster: kubesecurity-test
                user: bad-token
            current-context: {currentContext}
            """;
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>
    /// Writes a kubeconfig for a fleet: one context per entry, each with its own cluster and client
    /// certificate; an entry without a server points at a port nothing listens on.
    /// </summary>
    public static string WriteFleetKubeconfig(string path, IReadOnlyList<(string Context, KubeApiTestServer? Server)> fleet)
    {
        static string B64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
        KubeApiTestServer any = fleet.First(f => f.Server is not null).Server!;
        var clusters = new StringBuilder();
        var users = new StringBuilder();
        var contexts = new StringBuilder();
        foreach ((string context, KubeApiTestServer? server) in fleet)
        {
            KubeApiTestServer certificates = server ?? any;
            string address = server is null ? "https://127.0.0.1:1" : server.BaseAddress.ToString().TrimEnd('/');
            clusters.Append($"- name: {context}-cluster\n  cluster:\n    server: {address}\n    certificate-authority-data: {B64(TestCertificates.CertificatePem(certificates.Certificates.Ca))}\n");
            users.Append($"- name: {context}-admin\n  user:\n    client-certificate-data: {B64(TestCertificates.CertificatePem(certificates.Certificates.Client))}\n    client-key-data: {B64(TestCertificates.PrivateKeyPem(certificates.Certificates.Client))}\n");
            contexts.Append($"- name: {context}\n  context:\n    cluster: {context}-cluster\n    user: {context}-admin\n");
        }

        File.WriteAllText(path, $"apiVersion: v1\nkind: Config\nclusters:\n{clusters}users:\n{users}contexts:\n{contexts}current-context: {fleet[0].Context}\n");
        return path;
    }

    private static string Key(string groupVersion, string plural) => groupVersion + "/" + plural;

    private void Stamp(JsonObject item)
    {
        JsonObject metadata = item["metadata"] as JsonObject ?? new JsonObject();
        item["metadata"] = metadata;
        metadata["uid"] ??= Guid.NewGuid().ToString();
        metadata["creationTimestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        metadata["resourceVersion"] = Interlocked.Increment(ref resourceVersion).ToString(CultureInfo.InvariantCulture);
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        Interlocked.Increment(ref requestCount);
        requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        if (Latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Latency, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client gave up (a cancelled collection); there is no one to answer.
                return;
            }
        }

        if (!IsAuthenticated(context))
        {
            await WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized").ConfigureAwait(false);
            return;
        }

        string[] segments = request.Path.Value!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["api", "v1", "nodes", string node, "proxy", "configz"])
        {
            await WriteConfigzAsync(context, node).ConfigureAwait(false);
            return;
        }

        if (segments.Length == 1 && segments[0] == "version")
        {
            await WriteJsonAsync(context, 200, new JsonObject { ["major"] = "1", ["minor"] = "31", ["gitVersion"] = "v1.31.0-kubesecurity-test", ["platform"] = "linux/amd64" }).ConfigureAwait(false);
            return;
        }

        if (!TryRoute(segments, out string groupVersion, out string[] rest))
        {
            await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource").ConfigureAwait(false);
            return;
        }

        if (rest.Length == 0)
        {
            await WriteDiscoveryAsync(context, segments, groupVersion).ConfigureAwait(false);
            return;
        }

        // [plural], [plural, name], [namespaces, ns, plural], [namespaces, ns, plural, name]
        string? ns = null, name = null, plural;
        if (rest[0] == "namespaces" && rest.Length >= 3)
        {
            ns = rest[1];
            plural = rest[2];
            name = rest.Length >= 4 ? rest[3] : null;
        }
        else
        {
            plural = rest[0];
            name = rest.Length >= 2 ? rest[1] : null;
        }

        if (!stores.TryGetValue(Key(groupVersion, plural), out ResourceStore? store) || (ns is not null && !store.Resource.Namespaced) || rest.Length > 4)
        {
            await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource").ConfigureAwait(false);
            return;
        }

        string? continueToken = request.Query["continue"];
        (bool answered, BodyFault bodyFault) = await ApplyFaultsAsync(context, store.Resource, !string.IsNullOrEmpty(continueToken), ns).ConfigureAwait(false);
        if (answered)
        {
            return;
        }

        if (bodyFault != BodyFault.None && request.Method == "GET")
        {
            await AnswerWithBrokenBodyAsync(context, bodyFault, () => name is null ? ListAsync(context, store, ns, continueToken) : GetAsync(context, store, ns, name)).ConfigureAwait(false);
            return;
        }

        switch (request.Method)
        {
            case "GET" when name is null:
                await ListAsync(context, store, ns, continueToken).ConfigureAwait(false);
                break;
            case "GET":
                await GetAsync(context, store, ns, name).ConfigureAwait(false);
                break;
            case "POST" when name is null:
                await CreateAsync(context, store, ns).ConfigureAwait(false);
                break;
            case "PUT" when name is not null:
                await ReplaceAsync(context, store, ns, name).ConfigureAwait(false);
                break;
            case "PATCH" when name is not null:
                await PatchAsync(context, store, ns, name).ConfigureAwait(false);
                break;
            case "DELETE" when name is not null:
                await DeleteAsync(context, store, ns, name).ConfigureAwait(false);
                break;
            default:
                await WriteStatusAsync(context, 405, "MethodNotAllowed", $"the server does not allow this method on the requested resource").ConfigureAwait(false);
                break;
        }
    }

    private bool IsAuthenticated(HttpContext context)
    {
        X509Certificate2? certificate = context.Connection.ClientCertificate;
        if (certificate is not null && Certificates.IsIssuedByCa(certificate))
        {
            return true;
        }

        string? authorization = context.Request.Headers.Authorization;
        return authorization is not null && authorization == "Bearer " + ValidToken;
    }

    private static bool TryRoute(string[] segments, out string groupVersion, out string[] rest)
    {
        groupVersion = string.Empty;
        rest = Array.Empty<string>();
        if (segments.Length >= 1 && segments[0] == "api")
        {
            if (segments.Length == 1)
            {
                return true;
            }

            groupVersion = segments[1];
            rest = segments[2..];
            return groupVersion == "v1";
        }

        if (segments.Length >= 1 && segments[0] == "apis")
        {
            if (segments.Length <= 2)
            {
                groupVersion = segments.Length == 2 ? segments[1] : string.Empty;
                return true;
            }

            groupVersion = $"{segments[1]}/{segments[2]}";
            rest = segments[3..];
            return true;
        }

        return false;
    }

    private async Task WriteDiscoveryAsync(HttpContext context, string[] segments, string groupVersion)
    {
        string serverAddress = $"127.0.0.1:{BaseAddress.Port}";
        if (segments.Length == 1 && segments[0] == "api")
        {
            await WriteJsonAsync(context, 200, new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
            }).ConfigureAwait(false);
            return;
        }

        List<IGrouping<string, ServedResource>> groups = Resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group).ToList();
        JsonObject GroupNode(IGrouping<string, ServedResource> group)
        {
            string version = group.First().Version;
            return new JsonObject
            {
                ["name"] = group.Key,
                ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = $"{group.Key}/{version}", ["version"] = version }),
                ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group.Key}/{version}", ["version"] = version },
            };
        }

        if (segments.Length == 1)
        {
            await WriteJsonAsync(context, 200, new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JsonArray(groups.Select(g => (JsonNode)GroupNode(g)).ToArray()) }).ConfigureAwait(false);
            return;
        }

        if (segments.Length == 2 && segments[0] == "apis")
        {
            IGrouping<string, ServedResource>? group = groups.FirstOrDefault(g => g.Key == groupVersion);
            if (group is null)
            {
                await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource").ConfigureAwait(false);
                return;
            }

            JsonObject node = GroupNode(group);
            node["kind"] = "APIGroup";
            node["apiVersion"] = "v1";
            await WriteJsonAsync(context, 200, node).ConfigureAwait(false);
            return;
        }

        List<ServedResource> served = Resources.Where(r => r.GroupVersion == groupVersion).ToList();
        if (served.Count == 0)
        {
            await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource").ConfigureAwait(false);
            return;
        }

        var list = new JsonArray();
        foreach (ServedResource resource in served)
        {
            list.Add(new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = resource.Singular,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update"),
                ["shortNames"] = new JsonArray(resource.ShortNames.Select(s => (JsonNode)s).ToArray()),
            });
        }

        await WriteJsonAsync(context, 200, new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = list }).ConfigureAwait(false);
    }

    /// <summary>
    /// Produces the real answer into a buffer, then sends its status, headers and part of its body,
    /// and breaks the rest as the fault says.
    /// </summary>
    private static async Task AnswerWithBrokenBodyAsync(HttpContext context, BodyFault fault, Func<Task> answer)
    {
        Stream original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        await answer().ConfigureAwait(false);
        context.Response.Body = original;
        byte[] body = buffer.ToArray();
        int sent = Math.Max(1, body.Length / 2);
        context.Response.ContentLength = fault == BodyFault.Truncated ? sent : body.Length;
        await original.WriteAsync(body.AsMemory(0, sent)).ConfigureAwait(false);
        await original.FlushAsync().ConfigureAwait(false);
        switch (fault)
        {
            case BodyFault.StallAfterHeaders:
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(10), context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up, as it should.
                }

                context.Abort();
                break;
            case BodyFault.ResetMidBody:
                context.Abort();
                break;
        }
    }

    /// <summary>Each node's kubelet configuration as /api/v1/nodes/NODE/proxy/configz answers it ({"kubeletconfig": {...}}); a node without one answers 503, as a kubelet that does not respond.</summary>
    public Dictionary<string, JsonObject> KubeletConfigz { get; } = new(StringComparer.Ordinal);

    // Faults match it as "nodes/proxy" (a 403 is the missing permission).
    private static readonly ServedResource NodesProxy = new("", "v1", "nodes/proxy", "Node", false, "node");

    private async Task WriteConfigzAsync(HttpContext context, string node)
    {
        (bool answered, _) = await ApplyFaultsAsync(context, NodesProxy, false, null).ConfigureAwait(false);
        if (answered)
        {
            return;
        }

        JsonObject? configuration;
        lock (KubeletConfigz)
        {
            configuration = KubeletConfigz.TryGetValue(node, out JsonObject? found) ? (JsonObject)found.DeepClone() : null;
        }

        if (configuration is null)
        {
            await WriteStatusAsync(context, 503, "ServiceUnavailable", $"error trying to reach service: dial tcp: connect: connection refused (node {node})").ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, 200, new JsonObject { ["kubeletconfig"] = configuration }).ConfigureAwait(false);
    }

    private async Task<(bool Answered, BodyFault Body)> ApplyFaultsAsync(HttpContext context, ServedResource resource, bool hasContinue, string? ns)
    {
        Fault? fault;
        lock (faults)
        {
            fault = faults.FirstOrDefault(f => f.TryConsume(resource.Plural, hasContinue));
        }

        if (fault is null)
        {
            return (false, BodyFault.None);
        }

        if (fault.Latency > TimeSpan.Zero)
        {
            await Task.Delay(fault.Latency).ConfigureAwait(false);
        }

        if (fault.Status == 0)
        {
            return (false, fault.Body);
        }

        if (fault.RetryAfterSeconds is int seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        string scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        (string reason, string message) = fault.Status switch
        {
            403 => ("Forbidden", $"{resource.Plural}{(resource.Group.Length > 0 ? "." + resource.Group : string.Empty)} is forbidden: User \"test-admin\" cannot list resource \"{resource.Plural}\" in API group \"{resource.Group}\" {scope}"),
            410 => ("Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."),
            429 => ("TooManyRequests", "Too many requests, please try again later."),
            500 => ("InternalError", "Internal error occurred: injected fault"),
            503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
            _ => ("Unknown", "injected fault"),
        };
        await WriteStatusAsync(context, fault.Status, reason, fault.Message ?? message).ConfigureAwait(false);
        return (true, BodyFault.None);
    }

    /// <summary>
    /// The optimistic-concurrency check of the real API server: a write that names a resourceVersion
    /// other than the stored one is refused with 409 Conflict, so a change made in between is never overwritten.
    /// </summary>
    private static async Task<bool> RejectStaleAsync(HttpContext context, ServedResource resource, StoredObject existing, string? expected)
    {
        string? current = existing.Node["metadata"]?["resourceVersion"]?.ToString();
        if (string.IsNullOrEmpty(expected) || expected == current)
        {
            return false;
        }

        await WriteStatusAsync(context, 409, "Conflict",
            $"Operation cannot be fulfilled on {resource.Plural}{(resource.Group.Length > 0 ? "." + resource.Group : string.Empty)} \"{existing.Name}\": the object has been modified; please apply your changes to the latest version and try again",
            existing.Name, resource.Plural).ConfigureAwait(false);
        return true;
    }

    private async Task ListAsync(HttpContext context, ResourceStore store, string? ns, string? continueToken)
    {
        IQueryCollection query = context.Request.Query;
        int limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed > 0 ? parsed : int.MaxValue;
        int offset = 0;
        if (!string.IsNullOrEmpty(continueToken))
        {
            try
            {
                offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(continueToken)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                await WriteStatusAsync(context, 400, "BadRequest", "continue key is not valid").ConfigureAwait(false);
                return;
            }
        }

        Func<JsonObject, bool> labels = LabelSelector.Parse(query["labelSelector"]);
        Func<JsonObject, bool> fields = FieldSelector(query["fieldSelector"]);
        List<StoredObject> matching = store.Snapshot().Where(o => (ns is null || o.Namespace == ns) && labels(o.Node) && fields(o.Node)).ToList();
        List<StoredObject> page = matching.Skip(offset).Take(limit).ToList();
        string? next = offset + page.Count < matching.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture))) : null;

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("kind", store.Resource.Kind + "List");
        writer.WriteString("apiVersion", store.Resource.GroupVersion);
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", Interlocked.Read(ref resourceVersion).ToString(CultureInfo.InvariantCulture));
        if (next is not null)
        {
            writer.WriteString("continue", next);
            writer.WriteNumber("remainingItemCount", matching.Count - offset - page.Count);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("items");
        foreach (StoredObject item in page)
        {
            // Like the real API server, list items carry no apiVersion/kind.
            writer.WriteRawValue(item.ListItemJson, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync().ConfigureAwait(false);
    }

    private static Func<JsonObject, bool> FieldSelector(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return _ => true;
        }

        var terms = selector.Split(',').Select(t => t.Split('=', 2)).Where(t => t.Length == 2).ToList();
        return item => terms.All(t => t[0] switch
        {
            "metadata.name" => item["metadata"]?["name"]?.ToString() == t[1],
            "metadata.namespace" => item["metadata"]?["namespace"]?.ToString() == t[1],
            _ => true,
        });
    }

    private async Task GetAsync(HttpContext context, ResourceStore store, string? ns, string name)
    {
        if (store.TryGet(ns, name, out StoredObject? found))
        {
            await WriteRawAsync(context, 200, found!.FullJson).ConfigureAwait(false);
        }
        else
        {
            await WriteNotFoundAsync(context, store.Resource, name).ConfigureAwait(false);
        }
    }

    private async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException ex)
        {
            await WriteStatusAsync(context, 400, "BadRequest", $"the request body is not valid JSON: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private async Task CreateAsync(HttpContext context, ResourceStore store, string? ns)
    {
        JsonObject? body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        JsonObject metadata = body["metadata"] as JsonObject ?? new JsonObject();
        body["metadata"] = metadata;
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        string? name = metadata["name"]?.ToString();
        if (string.IsNullOrEmpty(name))
        {
            await WriteStatusAsync(context, 422, "Invalid", $"{store.Resource.Kind} \"\" is invalid: metadata.name: Required value: name or generateName is required").ConfigureAwait(false);
            return;
        }

        if (store.TryGet(ns, name, out _))
        {
            await WriteStatusAsync(context, 409, "AlreadyExists", $"{store.Resource.Plural}{(store.Resource.Group.Length > 0 ? "." + store.Resource.Group : string.Empty)} \"{name}\" already exists", name, store.Resource.Plural).ConfigureAwait(false);
            return;
        }

        body["apiVersion"] = store.Resource.GroupVersion;
        body["kind"] = store.Resource.Kind;
        Stamp(body);
        StoredObject stored = store.Put(body);
        await WriteRawAsync(context, 201, stored.FullJson).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(HttpContext context, ResourceStore store, string? ns, string name)
    {
        JsonObject? body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!store.TryGet(ns, name, out StoredObject? existing))
        {
            await WriteNotFoundAsync(context, store.Resource, name).ConfigureAwait(false);
            return;
        }

        if (await RejectStaleAsync(context, store.Resource, existing!, body["metadata"]?["resourceVersion"]?.ToString()).ConfigureAwait(false))
        {
            return;
        }

        body["apiVersion"] = store.Resource.GroupVersion;
        body["kind"] = store.Resource.Kind;
        Stamp(body);
        await WriteRawAsync(context, 200, store.Put(body).FullJson).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext context, ResourceStore store, string? ns, string name)
    {
        string contentType = context.Request.ContentType ?? string.Empty;
        if (!contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal) && !contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal))
        {
            await WriteStatusAsync(context, 415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json").ConfigureAwait(false);
            return;
        }

        if (!store.TryGet(ns, name, out StoredObject? existing))
        {
            await WriteNotFoundAsync(context, store.Resource, name).ConfigureAwait(false);
            return;
        }

        JsonObject? patch = await ReadBodyAsync(context).ConfigureAwait(false);
        if (patch is null)
        {
            return;
        }

        if (await RejectStaleAsync(context, store.Resource, existing!, patch["metadata"]?["resourceVersion"]?.ToString()).ConfigureAwait(false))
        {
            return;
        }

        JsonObject merged = (JsonObject)existing!.Node.DeepClone();
        MergePatch(merged, patch);
        Stamp(merged);
        await WriteRawAsync(context, 200, store.Put(merged).FullJson).ConfigureAwait(false);
    }

    /// <summary>RFC 7386 JSON merge patch.</summary>
    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (KeyValuePair<string, JsonNode?> pair in patch.ToList())
        {
            if (pair.Value is null)
            {
                target.Remove(pair.Key);
            }
            else if (pair.Value is JsonObject patchObject && target[pair.Key] is JsonObject targetObject)
            {
                MergePatch(targetObject, patchObject);
            }
            else
            {
                target[pair.Key] = pair.Value.DeepClone();
            }
        }
    }

    private async Task DeleteAsync(HttpContext context, ResourceStore store, string? ns, string name)
    {
        // DeleteOptions may carry preconditions (uid, resourceVersion), checked as the API server does.
        JsonObject? options = context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0 ? await ReadBodyAsync(context).ConfigureAwait(false) : null;
        if (options?["preconditions"] is JsonObject preconditions && store.TryGet(ns, name, out StoredObject? existing))
        {
            string? uid = preconditions["uid"]?.ToString();
            if (uid is not null && uid != existing!.Node["metadata"]?["uid"]?.ToString())
            {
                await WriteStatusAsync(context, 409, "Conflict", $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Node["metadata"]?["uid"]}", name, store.Resource.Plural).ConfigureAwait(false);
                return;
            }

            if (await RejectStaleAsync(context, store.Resource, existing!, preconditions["resourceVersion"]?.ToString()).ConfigureAwait(false))
            {
                return;
            }
        }

        if (store.Remove(ns, name, out StoredObject? removed))
        {
            await WriteRawAsync(context, 200, removed!.FullJson).ConfigureAwait(false);
        }
        else
        {
            await WriteNotFoundAsync(context, store.Resource, name).ConfigureAwait(false);
        }
    }

    private static Task WriteNotFoundAsync(HttpContext context, ServedResource resource, string name) =>
        WriteStatusAsync(context, 404, "NotFound", $"{resource.Plural}{(resource.Group.Length > 0 ? "." + resource.Group : string.Empty)} \"{name}\" not found", name, resource.Plural);

    private static async Task WriteStatusAsync(HttpContext context, int code, string reason, string message, string? name = null, string? kind = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (name is not null || kind is not null)
        {
            status["details"] = new JsonObject { ["name"] = name, ["kind"] = kind };
        }

        await WriteJsonAsync(context, code, status).ConfigureAwait(false);
    }

    private static Task WriteJsonAsync(HttpContext context, int code, JsonNode body) => WriteRawAsync(context, code, Encoding.UTF8.GetBytes(body.ToJsonString()));

    private static async Task WriteRawAsync(HttpContext context, int code, byte[] body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        Certificates.Dispose();
    }
}
