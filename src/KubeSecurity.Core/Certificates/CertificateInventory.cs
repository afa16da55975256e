using System.Text;
using System.Text.Json;
using k8s;
using k8s.KubeConfigModels;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using KubeSecurity.Core.Credentials;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Certificates;

/// <summary>A certificate source that could not be read, and why. The other certificates are still reported.</summary>
public sealed record CertificateProblem(string Source, string Message)
{
    public override string ToString() => $"{Source}: {Message}";
}

/// <summary>
/// Collects every certificate a cluster depends on, each tagged with where it was found, and
/// decides each one's chain status against all the certificates found together.
/// </summary>
public sealed class CertificateInventory
{
    private readonly List<(X509Certificate Certificate, string Source, CertificateSourceKind Kind, ResourceRef? Resource, string? DataKey)> found = new();

    public List<CertificateProblem> Problems { get; } = new();

    /// <summary>How many values were skipped because the snapshot holds fingerprints instead of them.</summary>
    public int RedactedValuesSkipped { get; private set; }

    public void AddSnapshot(KubeSnapshot snapshot)
    {
        foreach (KubeObject secret in snapshot.OfKind("Secret"))
        {
            bool tls = secret.Outline.TryGet("type"u8, out JsonElement type) && type.IsText("kubernetes.io/tls");
            if (!tls && !secret.MayHoldCertificates)
            {
                continue; // a body left in its file that the loader saw no PEM marker in: nothing to decode
            }

            using BodyLease body = secret.OpenBody();
            if (!body.Json.TryGet("data"u8, out JsonElement data) || data.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            // Values are decoded straight from the document's UTF-8 and searched as bytes: a cluster's
            // secrets are hundreds of megabytes, and only the few holding certificates become strings.
            foreach (JsonProperty entry in data.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                bool expected = tls && entry.NameEquals("tls.crt"u8);
                ReadOnlySpan<byte> text = Snapshots.JsonRead.StringUtf8(entry.Value);
                if (text.StartsWith(RedactedPrefix))
                {
                    RedactedValuesSkipped++;
                    continue;
                }

                // Escapes (line breaks the API tolerates in base64) could split a marker: those values are decoded.
                if (!expected && text.IndexOf((byte)'\\') < 0 && !PemMarkers.MayHoldPemInBase64(text))
                {
                    continue; // no PEM marker at any alignment of the base64: nothing to decode
                }

                if (!entry.Value.TryGetBytesFromBase64(out byte[]? bytes))
                {
                    bytes = TryBase64(entry.Value.AsString()!); // what the strict decoder refuses but the API accepts (line breaks)
                    if (bytes is null)
                    {
                        if (expected)
                        {
                            Problems.Add(new CertificateProblem(Describe(secret, entry.Name), "the value is not valid base64"));
                        }

                        continue;
                    }
                }

                if (expected || CertificateReader.ContainsPemCertificate(bytes))
                {
                    AddBytes(bytes, Describe(secret, entry.Name), CertificateSourceKind.Secret, secret.ToResourceRef(), entry.Name, null);
                }
            }
        }

        foreach (KubeObject configMap in snapshot.OfKind("ConfigMap"))
        {
            if (!configMap.MayHoldCertificates)
            {
                continue;
            }

            using BodyLease body = configMap.OpenBody();
            if (!body.Json.TryGet("data"u8, out JsonElement data) || data.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (JsonProperty entry in data.EnumerateObject())
            {
                // Every PEM marker begins so; only values that have it become strings.
                if (!Snapshots.JsonRead.StringContains(entry.Value, "-----BEGIN "u8))
                {
                    continue;
                }

                string key = entry.Name;
                string value = entry.Value.AsString()!;
                if (CertificateReader.ContainsPemCertificate(value))
                {
                    AddBytes(Encoding.ASCII.GetBytes(value), Describe(configMap, key), CertificateSourceKind.ConfigMap, configMap.ToResourceRef(), key, null);
                }
            }
        }

        foreach (KubeObject webhookConfiguration in snapshot.OfKind("ValidatingWebhookConfiguration").Concat(snapshot.OfKind("MutatingWebhookConfiguration")))
        {
            if (!webhookConfiguration.Json.TryGet("webhooks"u8, out JsonElement webhooks) || webhooks.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement webhook in webhooks.EnumerateArray())
            {
                string webhookName = webhook.TryGet("name"u8, out JsonElement n) ? n.AsString() ?? "?" : "?";
                if (webhook.TryGet("clientConfig"u8, out JsonElement clientConfig))
                {
                    AddBase64Field(clientConfig, "caBundle", webhookConfiguration, $"webhook {webhookName} caBundle", CertificateSourceKind.Webhook);
                }
            }
        }

        foreach (KubeObject apiService in snapshot.OfKind("APIService"))
        {
            if (apiService.Json.TryGet("spec"u8, out JsonElement spec))
            {
                AddBase64Field(spec, "caBundle", apiService, "caBundle", CertificateSourceKind.ApiService);
            }
        }

        foreach (KubeObject request in snapshot.OfKind("CertificateSigningRequest"))
        {
            if (request.Json.TryGet("status"u8, out JsonElement status))
            {
                AddBase64Field(status, "certificate", request, "status.certificate", CertificateSourceKind.CertificateSigningRequest);
            }
        }
    }

    /// <summary>Reads a certificate file (PEM, DER, PKCS#7, PKCS#12).</summary>
    public void AddFile(string path, char[]? password)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > CertificateReader.MaxInputBytes)
            {
                Problems.Add(new CertificateProblem(path, $"the file is {info.Length:N0} bytes, over the {CertificateReader.MaxInputBytes:N0}-byte limit for certificate files"));
                return;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Problems.Add(new CertificateProblem(path, ex.Message));
            return;
        }

        AddBytes(bytes, path, CertificateSourceKind.File, null, null, password);
    }

    /// <summary>Cluster CAs and client certificates of a kubeconfig: one context, or all of them.</summary>
    public void AddKubeconfig(string path, string? context)
    {
        K8SConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or k8s.Exceptions.KubeConfigException or YamlDotNet.Core.YamlException)
        {
            Problems.Add(new CertificateProblem(path, $"the kubeconfig could not be read: {ex.Message}"));
            return;
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        IEnumerable<Context> contexts = (config.Contexts ?? Enumerable.Empty<Context>()).Where(c => context is null || c.Name == context);
        var clustersDone = new HashSet<string>(StringComparer.Ordinal);
        var usersDone = new HashSet<string>(StringComparer.Ordinal);
        foreach (Context selected in contexts)
        {
            string? clusterName = selected.ContextDetails?.Cluster;
            Cluster? cluster = config.Clusters?.FirstOrDefault(c => c.Name == clusterName);
            if (cluster?.ClusterEndpoint is { } endpoint && clustersDone.Add(cluster.Name))
            {
                AddKubeconfigValue(endpoint.CertificateAuthorityData, endpoint.CertificateAuthority, directory, $"kubeconfig {path} cluster {cluster.Name} certificate-authority", "certificate-authority");
            }

            string? userName = selected.ContextDetails?.User;
            User? user = config.Users?.FirstOrDefault(u => u.Name == userName);
            if (user?.UserCredentials is { } credentials && usersDone.Add(user.Name))
            {
                AddKubeconfigValue(credentials.ClientCertificateData, credentials.ClientCertificate, directory, $"kubeconfig {path} user {user.Name} client-certificate", "client-certificate");
            }
        }
    }

    private void AddKubeconfigValue(string? data, string? file, string directory, string source, string key)
    {
        if (!string.IsNullOrEmpty(data))
        {
            byte[]? bytes = TryBase64(data);
            if (bytes is null)
            {
                Problems.Add(new CertificateProblem(source, "the -data value is not valid base64"));
                return;
            }

            AddBytes(bytes, source, CertificateSourceKind.Kubeconfig, null, key, null);
        }
        else if (!string.IsNullOrEmpty(file))
        {
            string full = Path.IsPathRooted(file) ? file : Path.Combine(directory, file);
            int before = found.Count;
            AddFile(full, null);
            for (int i = before; i < found.Count; i++)
            {
                found[i] = found[i] with { Source = $"{source} ({full})", Kind = CertificateSourceKind.Kubeconfig, DataKey = key };
            }
        }
    }

    /// <summary>The chain a live server presents in its TLS handshake. Returns how many certificates it sent.</summary>
    /// <exception cref="Live.KubeApiException">The server could not be reached or the handshake timed out.</exception>
    public async Task<int> AddServerChainAsync(Uri server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        IReadOnlyList<X509Certificate> chain = await ServerChainReader.ReadAsync(server, timeout, cancellationToken).ConfigureAwait(false);
        string source = $"API server {server.GetLeftPart(UriPartial.Authority)} TLS chain";
        for (int i = 0; i < chain.Count; i++)
        {
            found.Add((chain[i], chain.Count > 1 ? $"{source} [{i + 1}/{chain.Count}]" : source, CertificateSourceKind.ServerChain, null, null));
        }

        return chain.Count;
    }

    /// <summary>
    /// The first certificate read from each TLS secret's tls.crt (its leaf), so the private-key check
    /// does not decode and parse every certificate a second time.
    /// </summary>
    internal IReadOnlyDictionary<ResourceRef, X509Certificate> TlsLeaves()
    {
        var leaves = new Dictionary<ResourceRef, X509Certificate>();
        foreach ((X509Certificate certificate, _, CertificateSourceKind kind, ResourceRef? resource, string? dataKey) in found)
        {
            if (kind == CertificateSourceKind.Secret && resource is not null && dataKey == "tls.crt")
            {
                leaves.TryAdd(resource, certificate);
            }
        }

        return leaves;
    }

    public void AddBytes(byte[] bytes, string source, CertificateSourceKind kind, ResourceRef? resource, string? dataKey, char[]? password)
    {
        CertificateReadResult read = CertificateReader.Read(bytes, password);
        foreach (string problem in read.Problems)
        {
            Problems.Add(new CertificateProblem(source, problem));
        }

        if (read.Certificates.Count == 0 && read.Problems.Count == 0)
        {
            Problems.Add(new CertificateProblem(source, "no certificate was found in it"));
        }

        for (int i = 0; i < read.Certificates.Count; i++)
        {
            string where = read.Certificates.Count > 1 ? $"{source} [{i + 1}/{read.Certificates.Count}]" : source;
            found.Add((read.Certificates[i], where, kind, resource, dataKey));
        }
    }

    /// <summary>Every certificate found, with its chain status decided against all the others.</summary>
    public List<CertificateInfo> Build(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        var bySubject = found.Select(f => f.Certificate)
            .DistinctBy(c => Convert.ToHexString(c.GetSignature()))
            .ToLookup(c => Convert.ToHexString(c.SubjectDN.GetEncoded()));

        // Signature checks and descriptions are independent per certificate: spread them over the cores.
        var verdicts = new System.Collections.Concurrent.ConcurrentDictionary<X509Certificate, (CertificateChainStatus Status, string? By)>();
        var capped = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var budget = new SignatureCheckBudget(BaseSignatureChecks + (SignatureChecksPerCertificate * (long)found.Count));
        var result = new CertificateInfo[found.Count];
        Parallel.For(0, found.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            (X509Certificate certificate, string source, CertificateSourceKind kind, ResourceRef? resource, string? dataKey) = found[i];
            (CertificateChainStatus status, string? by) = verdicts.GetOrAdd(certificate, c => Chain(c, bySubject, capped, budget));
            result[i] = CertificateDescriber.Describe(certificate, source, kind, resource, dataKey, asOf).WithChainStatus(status, by);
        });

        foreach (KeyValuePair<string, int> issuer in capped.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Problems.Add(new CertificateProblem(issuer.Key,
                $"the chains of {issuer.Value:N0} certificate(s) issued by this name were not decided and are reported IssuerNotFound: so many certificates have this name as their subject that chain building stopped (after {MaxSignatureChecks} signature checks per certificate, as the API server's verifier, Go crypto/x509, does, or when the input's budget of {BaseSignatureChecks:N0} + {SignatureChecksPerCertificate} per certificate was used up)"));
        }

        return result.ToList();
    }

    /// <summary>
    /// Most candidate issuers whose signature is checked for one certificate. Go's crypto/x509 (the
    /// API server's verifier) stops at 100 as well; without a bound, a bundle of many same-named
    /// CAs makes chain building quadratic.
    /// </summary>
    public const int MaxSignatureChecks = 100;

    /// <summary>
    /// Signature checks allowed for a whole input: this many, plus <see cref="SignatureChecksPerCertificate"/>
    /// per certificate. A real bundle needs about one check per certificate; a hostile one (many CAs
    /// sharing a name) would otherwise cost 100 checks per certificate, minutes for a few thousand.
    /// </summary>
    public const int BaseSignatureChecks = 10_000;

    public const int SignatureChecksPerCertificate = 4;

    private sealed class SignatureCheckBudget(long checks)
    {
        private long remaining = checks;

        public bool TrySpend() => Interlocked.Decrement(ref remaining) >= 0;
    }

    private static (CertificateChainStatus Status, string? By) Chain(X509Certificate certificate, ILookup<string, X509Certificate> bySubject, System.Collections.Concurrent.ConcurrentDictionary<string, int> capped, SignatureCheckBudget budget)
    {
        string issuer = Convert.ToHexString(certificate.IssuerDN.GetEncoded());
        if (issuer == Convert.ToHexString(certificate.SubjectDN.GetEncoded()) && ChainVerifier.SignedBy(certificate, certificate))
        {
            return (CertificateChainStatus.SelfSigned, null);
        }

        bool anyCandidate = false;
        X509Certificate? signedByNonCa = null;
        int checks = 0;
        foreach (X509Certificate candidate in LikelyIssuersFirst(certificate, bySubject[issuer]))
        {
            if (candidate.Equals(certificate))
            {
                continue;
            }

            if (++checks > MaxSignatureChecks || !budget.TrySpend())
            {
                capped.AddOrUpdate(CertificateDescriber.FormatName(certificate.IssuerDN), 1, (_, n) => n + 1);
                return signedByNonCa is not null
                    ? (CertificateChainStatus.IssuerNotCA, CertificateDescriber.FormatName(signedByNonCa.SubjectDN))
                    : (CertificateChainStatus.IssuerNotFound, null);
            }

            anyCandidate = true;
            if (ChainVerifier.SignedBy(certificate, candidate))
            {
                if (ChainVerifier.MayIssue(candidate))
                {
                    return (CertificateChainStatus.Verified, CertificateDescriber.FormatName(candidate.SubjectDN));
                }

                signedByNonCa ??= candidate;
            }
        }

        // The signature is right but the signer is no CA: TLS clients (the API server among them) reject the chain.
        if (signedByNonCa is not null)
        {
            return (CertificateChainStatus.IssuerNotCA, CertificateDescriber.FormatName(signedByNonCa.SubjectDN));
        }

        return anyCandidate ? (CertificateChainStatus.SignatureInvalid, null) : (CertificateChainStatus.IssuerNotFound, null);
    }

    /// <summary>Candidates whose subject key id is the certificate's authority key id first, then those without key ids, then the rest (as Go orders them).</summary>
    private static IEnumerable<X509Certificate> LikelyIssuersFirst(X509Certificate certificate, IEnumerable<X509Certificate> candidates)
    {
        byte[]? authorityKeyId = KeyId(certificate, X509Extensions.AuthorityKeyIdentifier);
        if (authorityKeyId is null)
        {
            return candidates;
        }

        return candidates.OrderBy(c => KeyId(c, X509Extensions.SubjectKeyIdentifier) is not byte[] subjectKeyId ? 1 : subjectKeyId.AsSpan().SequenceEqual(authorityKeyId) ? 0 : 2);
    }

    private static byte[]? KeyId(X509Certificate certificate, DerObjectIdentifier extension)
    {
        try
        {
            return CertificateDescriber.KeyIdentifierBytes(certificate, extension);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidCastException)
        {
            return null; // A malformed extension only costs the ordering hint.
        }
    }

    private void AddBase64Field(JsonElement parent, string property, KubeObject owner, string field, CertificateSourceKind kind)
    {
        if (!parent.TryGet(property, out JsonElement value) || value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.AsString()))
        {
            return;
        }

        string source = owner.Namespace is null ? $"{owner.Kind} {owner.Name} {field}" : $"{owner.Kind} {owner.Namespace}/{owner.Name} {field}";
        byte[]? bytes = TryBase64(value.AsString()!);
        if (bytes is null)
        {
            Problems.Add(new CertificateProblem(source, "the value is not valid base64"));
            return;
        }

        AddBytes(bytes, source, kind, owner.ToResourceRef(), field, null);
    }

    private static string Describe(KubeObject owner, string key) => $"{owner.Kind} {owner.Namespace}/{owner.Name} key {key}";

    private static readonly byte[] RedactedPrefix = Encoding.ASCII.GetBytes(RedactedValue.Prefix);

    private static byte[]? TryBase64(string value)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
