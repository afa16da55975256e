using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json;
using k8s;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Live;

/// <summary>
/// An authenticated connection to one API server: KubernetesClient does kubeconfig parsing, TLS,
/// client certificates, tokens and exec plugins; requests are raw GETs so list pages stream
/// straight into JSON documents without a typed-model round trip.
/// </summary>
public sealed class KubeConnection : IDisposable
{
    private readonly Kubernetes client;
    private readonly string baseUrl;
    private int requestCount;

    private KubeConnection(Kubernetes client, string? context, string? cluster, string server)
    {
        this.client = client;
        Context = context;
        Cluster = cluster;
        Server = server;
        baseUrl = server.TrimEnd('/');
    }

    public string? Context { get; }
    public string? Cluster { get; }
    public string Server { get; }

    /// <summary>HTTP requests sent so far, retries included.</summary>
    public int RequestCount => Volatile.Read(ref requestCount);

    /// <summary>Builds a connection from a kubeconfig (or in-cluster configuration).</summary>
    /// <exception cref="KubeApiException">No usable configuration.</exception>
    public static KubeConnection Open(LiveConnectionOptions options)
    {
        KubernetesClientConfiguration config;
        string? contextName = options.Context;
        string? clusterName = null;
        try
        {
            IReadOnlyList<string> paths = Kubeconfig.ResolvePaths(options.KubeconfigPath);
            if (options.InCluster || (paths.Count == 0 && KubernetesClientConfiguration.IsInCluster()))
            {
                config = KubernetesClientConfiguration.InClusterConfig();
                contextName = "in-cluster";
                clusterName = "in-cluster";
            }
            else if (paths.Count == 0)
            {
                throw new KubeApiException(ApiFailure.Configuration,
                    "No kubeconfig was found: pass -Kubeconfig, set $env:KUBECONFIG, create ~/.kube/config, or run inside a pod with a service account.");
            }
            else
            {
                if (!File.Exists(paths[0]))
                {
                    throw new KubeApiException(ApiFailure.Configuration, $"The kubeconfig file '{paths[0]}' does not exist.");
                }

                (_, contextName, clusterName) = Kubeconfig.SelectContext(paths, contextName);
                // All the files, merged as kubectl merges them: a context may use another file's cluster or user.
                config = KubernetesClientConfiguration.BuildConfigFromConfigObject(Kubeconfig.Merge(paths), contextName);
            }
        }
        catch (KubeApiException)
        {
            throw;
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new KubeApiException(ApiFailure.Configuration, $"The cluster configuration could not be used: {ex.Message}", inner: ex);
        }

        config.SkipTlsVerify = options.SkipTlsVerify || config.SkipTlsVerify;
        config.HttpClientTimeout = options.RequestTimeout;
        TimeSpan connectTimeout = options.ConnectTimeout;
        config.FirstMessageHandlerSetup = handler => handler.ConnectTimeout = connectTimeout;
        var client = new Kubernetes(config);
        return new KubeConnection(client, contextName, clusterName, client.BaseUri.ToString());
    }

    /// <summary>Sends one GET. The caller owns (and disposes) the response, whatever its status.</summary>
    public Task<HttpResponseMessage> GetAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, cancellationToken);

    /// <summary>Sends one request with an optional JSON body. The caller owns the response, whatever its status.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string? jsonBody, CancellationToken cancellationToken)
    {
        string url = baseUrl + pathAndQuery;
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, System.Text.Encoding.UTF8, "application/json");
        }
        if (client.Credentials is not null)
        {
            try
            {
                await client.Credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (k8s.Exceptions.KubeConfigException ex)
            {
                // Exec plugins and token files are run here, at request time, not when the kubeconfig is read.
                throw new KubeApiException(ApiFailure.Configuration, $"The credentials of context '{Context ?? "(none)"}' could not be obtained: {ex.Message}", url: url, inner: ex);
            }
        }

        Interlocked.Increment(ref requestCount);
        try
        {
            return await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubeApiException(ApiFailure.Timeout, $"The API server at {Server} did not answer {method} {pathAndQuery} in time.", url: url, inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw TranslateConnectionFailure(ex, url);
        }
    }

    private KubeApiException TranslateConnectionFailure(HttpRequestException ex, string url)
    {
        string who = Context is null ? Server : $"{Server} (context '{Context}')";
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return new KubeApiException(ApiFailure.TlsFailure,
                    $"TLS with the API server at {who} failed: {inner.Message} The server's certificate is not trusted by the kubeconfig's certificate-authority (use -SkipTlsVerify only on throwaway test clusters).", url: url, inner: ex);
            }
        }

        string reason = ex.InnerException?.Message ?? ex.Message;
        return new KubeApiException(ApiFailure.Unreachable, $"Cannot connect to the API server at {who}: {reason}", url: url, inner: ex);
    }

    /// <summary>The message of a Kubernetes <c>Status</c> error body, or the HTTP reason when there is none.</summary>
    public static async Task<string> ReadStatusMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > 0 && body.Length < 1_000_000)
            {
                using JsonDocument status = JsonDocument.Parse(body);
                if (status.RootElement.ValueKind == JsonValueKind.Object && status.RootElement.TryGet("message", out JsonElement message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.AsString()!;
                }
            }
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's HTML error page, for example): fall back to the reason phrase.
        }

        return $"{(int)response.StatusCode} {response.ReasonPhrase ?? ((HttpStatusCode)(int)response.StatusCode).ToString()}";
    }

    public void Dispose() => client.Dispose();
}
