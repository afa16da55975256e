using System.Globalization;
using System.Text.Json;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;
using Org.BouncyCastle.X509;
using KubeSecurity.Core.Credentials;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Certificates;

/// <summary>Settings of a certificate check.</summary>
public sealed record CertificateCheckOptions
{
    /// <summary>The time to evaluate at.</summary>
    public DateTimeOffset AsOf { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Certificates expiring within this many days are reported (High).</summary>
    public int WarningDays { get; init; } = 30;

    /// <summary>Inside this many days an expiring certificate is Critical.</summary>
    public int CriticalDays { get; init; } = 7;

    /// <summary>The longest validity accepted for certificates served by an Ingress.</summary>
    public int MaxIngressValidityDays { get; init; } = 398;

    /// <summary>When set, every non-CA certificate must chain to one of these CAs.</summary>
    public IReadOnlyList<CertificateInfo> TrustedAuthorities { get; init; } = Array.Empty<CertificateInfo>();
}

/// <summary>
/// Checks an inventory of certificates and the snapshot they came from: validity, key and
/// signature strength, names, key pairs, chains, Ingress wiring and kubeconfig credentials.
/// </summary>
public static class CertificateAnalyzer
{
    /// <param name="problems">Receives what could not be checked (an unreadable or unsupported key), when given.</param>
    public static List<Finding> Analyze(KubeSnapshot snapshot, IReadOnlyList<CertificateInfo> certificates, CertificateCheckOptions options, List<CertificateProblem>? problems = null, CancellationToken cancellationToken = default) =>
        Analyze(snapshot, certificates, options, problems, null, cancellationToken);

    /// <param name="tlsLeaves">Each TLS secret's leaf certificate as an inventory already read it (<see cref="CertificateInventory.TlsLeaves"/>); secrets missing from it are read here.</param>
    /// <remarks>
    /// Internal: a public signature naming a BouncyCastle type would make the cmdlet assembly, which
    /// calls Analyze and lives outside the module's load context, try to load BouncyCastle itself.
    /// </remarks>
    internal static List<Finding> Analyze(KubeSnapshot snapshot, IReadOnlyList<CertificateInfo> certificates, CertificateCheckOptions options, List<CertificateProblem>? problems,
        IReadOnlyDictionary<ResourceRef, X509Certificate>? tlsLeaves, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        foreach (CertificateInfo certificate in certificates)
        {
            CheckValidity(certificate, options, findings);
            CheckStrength(certificate, findings);
            if (certificate.ChainStatus == CertificateChainStatus.SignatureInvalid)
            {
                findings.Add(Create(CertificateRules.SignatureInvalid, certificate, $"The signature of '{certificate.Subject}' does not verify with the key of any CA named '{certificate.Issuer}'."));
            }
            else if (certificate.ChainStatus == CertificateChainStatus.IssuerNotCA)
            {
                findings.Add(Create(CertificateRules.SignatureInvalid, certificate,
                    $"'{certificate.Subject}' is signed by '{certificate.VerifiedBy}', which is not a CA (its basicConstraints do not allow it to sign certificates): TLS clients, the API server among them, reject the chain."));
            }

            if (certificate.SourceKind == CertificateSourceKind.Kubeconfig && certificate.DataKey == "client-certificate")
            {
                bool masters = Organizations(certificate).Contains("system:masters");
                findings.Add(Create(CertificateRules.KubeconfigClientCertificate, certificate,
                    masters
                        ? $"{certificate.Source} authenticates as '{certificate.Subject}' in group system:masters: cluster-admin that RBAC cannot limit and nobody can revoke until {certificate.NotAfter:yyyy-MM-dd}."
                        : $"{certificate.Source} authenticates with a client certificate ('{certificate.Subject}') that cannot be revoked until it expires on {certificate.NotAfter:yyyy-MM-dd}.",
                    masters ? Severity.Critical : null));
            }
        }

        CheckIssuerExpiry(certificates, findings);
        CheckDuplicateSerials(certificates, findings);
        CheckTlsSecretKeys(snapshot, findings, problems ?? new List<CertificateProblem>(), tlsLeaves, cancellationToken);
        // The certificates of each secret's tls.crt, in order (leaf first): both checks below need them.
        ILookup<ResourceRef, CertificateInfo> tlsChains = certificates.Where(c => c.DataKey == "tls.crt" && c.Resource is not null).ToLookup(c => c.Resource!);
        CheckIngresses(snapshot, tlsChains, options, findings);
        CheckWebhookCaBundles(snapshot, certificates, tlsChains, findings);
        CheckTrustedAuthorities(certificates, options.TrustedAuthorities, findings);
        return findings;
    }

    private static void CheckValidity(CertificateInfo certificate, CertificateCheckOptions options, List<Finding> findings)
    {
        if (certificate.IsExpired)
        {
            findings.Add(Create(CertificateRules.Expired, certificate, $"'{certificate.Subject}' expired on {certificate.NotAfter:yyyy-MM-dd} ({-certificate.DaysRemaining} days ago)."));
        }
        else if (certificate.DaysRemaining <= options.WarningDays)
        {
            findings.Add(Create(CertificateRules.ExpiresSoon, certificate, $"'{certificate.Subject}' expires on {certificate.NotAfter:yyyy-MM-dd}, in {certificate.DaysRemaining} days.",
                certificate.DaysRemaining < options.CriticalDays ? Severity.Critical : null));
        }

        if (certificate.IsNotYetValid)
        {
            findings.Add(Create(CertificateRules.NotYetValid, certificate, $"'{certificate.Subject}' is not valid until {certificate.NotBefore:yyyy-MM-dd HH:mm} UTC."));
        }
    }

    private static void CheckStrength(CertificateInfo certificate, List<Finding> findings)
    {
        if (CertificateDescriber.IsWeakKey(certificate.KeyAlgorithm, certificate.KeySize))
        {
            findings.Add(Create(CertificateRules.WeakKey, certificate, $"'{certificate.Subject}' has a {certificate.KeySize}-bit {certificate.KeyAlgorithm} key."));
        }

        string signature = certificate.SignatureAlgorithm;
        bool weakSignature = signature.StartsWith("sha1", StringComparison.OrdinalIgnoreCase) || signature.StartsWith("md5", StringComparison.OrdinalIgnoreCase)
            || signature.EndsWith("SHA1", StringComparison.Ordinal);
        if (weakSignature && !(certificate.IsSelfSigned && certificate.IsCertificateAuthority))
        {
            findings.Add(Create(CertificateRules.WeakSignature, certificate, $"'{certificate.Subject}' is signed with {signature}."));
        }

        bool serverCertificate = !certificate.IsCertificateAuthority
            && (certificate.ExtendedKeyUsage.Contains(CertificateDescriber.ServerAuthentication) || certificate.DataKey == "tls.crt");
        if (serverCertificate && !certificate.SubjectAlternativeNames.Any(n => n.StartsWith("DNS:", StringComparison.Ordinal) || n.StartsWith("IP Address:", StringComparison.Ordinal)))
        {
            findings.Add(Create(CertificateRules.NoSubjectAlternativeName, certificate, $"'{certificate.Subject}' names its host only in the subject; clients that ignore the CN cannot verify it."));
        }
    }

    private static void CheckIssuerExpiry(IReadOnlyList<CertificateInfo> certificates, List<Finding> findings)
    {
        ILookup<string, CertificateInfo> authorities = certificates.Where(c => c.IsCertificateAuthority).ToLookup(c => c.Subject, StringComparer.Ordinal);
        foreach (CertificateInfo certificate in certificates.Where(c => c.ChainStatus == CertificateChainStatus.Verified && c.VerifiedBy is not null))
        {
            List<CertificateInfo> issuers = authorities[certificate.VerifiedBy!].ToList();
            if (issuers.Count > 0 && issuers.All(i => i.NotAfter < certificate.NotAfter))
            {
                DateTimeOffset issuerEnd = issuers.Max(i => i.NotAfter);
                findings.Add(Create(CertificateRules.IssuerExpiresFirst, certificate,
                    $"Its CA '{certificate.VerifiedBy}' expires on {issuerEnd:yyyy-MM-dd}, before '{certificate.Subject}' does ({certificate.NotAfter:yyyy-MM-dd}).",
                    evidence: new EvidenceDictionary { ["IssuerNotAfter"] = issuerEnd.ToString("O", CultureInfo.InvariantCulture) }));
            }
        }
    }

    private static void CheckDuplicateSerials(IReadOnlyList<CertificateInfo> certificates, List<Finding> findings)
    {
        foreach (var group in certificates.GroupBy(c => (c.Issuer, c.SerialNumber)))
        {
            List<CertificateInfo> distinct = group.DistinctBy(c => c.Thumbprint).ToList();
            if (distinct.Count < 2)
            {
                continue;
            }

            var evidence = new EvidenceDictionary(distinct.Count + 4);
            for (int i = 0; i < distinct.Count; i++)
            {
                evidence[$"Certificate{i + 1}"] = $"{distinct[i].Subject} ({distinct[i].Thumbprint[..16]}) at {distinct[i].Source}";
            }

            findings.Add(Create(CertificateRules.DuplicateSerial, distinct[0],
                $"{distinct.Count} different certificates from '{group.Key.Issuer}' share serial number {group.Key.SerialNumber}.", evidence: evidence));
        }
    }

    private static void CheckTlsSecretKeys(KubeSnapshot snapshot, List<Finding> findings, List<CertificateProblem> problems, IReadOnlyDictionary<ResourceRef, X509Certificate>? tlsLeaves, CancellationToken cancellationToken)
    {
        // Deriving public keys costs a scalar multiplication each: check the secrets on all cores.
        var results = new System.Collections.Concurrent.ConcurrentBag<(int Order, Finding? Finding, CertificateProblem? Problem)>();
        IReadOnlyList<KubeObject> secrets = snapshot.OfKind("Secret");
        Parallel.For(0, secrets.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            (Finding? finding, CertificateProblem? problem) = CheckTlsSecretKey(secrets[i], tlsLeaves);
            if (finding is not null || problem is not null)
            {
                results.Add((i, finding, problem));
            }
        });
        foreach ((_, Finding? finding, CertificateProblem? problem) in results.OrderBy(r => r.Order))
        {
            if (finding is not null)
            {
                findings.Add(finding);
            }

            if (problem is not null)
            {
                problems.Add(problem);
            }
        }
    }

    private static (Finding?, CertificateProblem?) CheckTlsSecretKey(KubeObject secret, IReadOnlyDictionary<ResourceRef, X509Certificate>? tlsLeaves)
    {
        if (!secret.Outline.TryGet("type"u8, out JsonElement type) || !type.IsText("kubernetes.io/tls"))
        {
            return (null, null);
        }

        X509Certificate? leaf = null;
        byte[]? keyBytes;
        using (BodyLease body = secret.OpenBody())
        {
            keyBytes = DataValue(body.Json, "tls.key");
            if (keyBytes is null)
            {
                return (null, null);
            }

            if (tlsLeaves is null || !tlsLeaves.TryGetValue(secret.ToResourceRef(), out leaf))
            {
                leaf = DataValue(body.Json, "tls.crt") is byte[] certificateBytes ? CertificateReader.Read(certificateBytes).Certificates.FirstOrDefault() : null;
            }
        }

        if (leaf is null)
        {
            return (null, null);
        }

        string source = $"Secret {secret.Namespace}/{secret.Name} key tls.key";
        return PrivateKeyMatcher.Check(keyBytes, leaf) switch
        {
            KeyMatch.DoesNotMatch => (RuleCatalog.CreateFinding(CertificateRules.KeyMismatch, secret.ToResourceRef(),
                $"tls.key of Secret {secret.Namespace}/{secret.Name} is not the private key of its certificate '{CertificateDescriber.FormatName(leaf.SubjectDN)}'.",
                new EvidenceDictionary { ["Certificate"] = CertificateDescriber.FormatName(leaf.SubjectDN) }), null),
            KeyMatch.Unsupported => (null, new CertificateProblem(source, "the private key is of a type this check does not support (RSA, EC and Ed25519 are); whether it matches tls.crt was not checked")),
            KeyMatch.Unreadable => (null, new CertificateProblem(source, "the private key could not be read (expected PKCS#1, PKCS#8 or SEC1 PEM); whether it matches tls.crt was not checked")),
            KeyMatch.Encrypted => (null, new CertificateProblem(source, "the private key is encrypted, which Kubernetes TLS secrets do not support")),
            _ => (null, null),
        };
    }

    private static void CheckIngresses(KubeSnapshot snapshot, ILookup<ResourceRef, CertificateInfo> tlsChains, CertificateCheckOptions options, List<Finding> findings)
    {
        bool secretsCollected = snapshot.HasKind("Secret");
        var secrets = snapshot.OfKind("Secret").Select(s => s.ToResourceRef()).ToHashSet();
        foreach (KubeObject ingress in snapshot.OfKind("Ingress"))
        {
            if (!ingress.Json.TryGet("spec"u8, out JsonElement spec) || !spec.TryGet("tls"u8, out JsonElement tls) || tls.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement entry in tls.EnumerateArray())
            {
                string? secretName = entry.TryGet("secretName"u8, out JsonElement name) ? name.AsString() : null;
                if (string.IsNullOrEmpty(secretName))
                {
                    continue; // the controller's default certificate
                }

                List<string> hosts = entry.TryGet("hosts"u8, out JsonElement hostList) && hostList.ValueKind == JsonValueKind.Array
                    ? hostList.EnumerateArray().Select(h => h.AsString()).OfType<string>().ToList()
                    : new List<string>();
                var secret = new ResourceRef("Secret", ingress.Namespace, secretName);
                if (!secrets.Contains(secret))
                {
                    if (secretsCollected)
                    {
                        findings.Add(RuleCatalog.CreateFinding(CertificateRules.IngressSecretMissing, ingress.ToResourceRef(),
                            $"Ingress {ingress.Namespace}/{ingress.Name} serves {string.Join(", ", hosts)} with Secret '{secretName}', which does not exist in namespace {ingress.Namespace}.",
                            new EvidenceDictionary { ["Secret"] = secretName }));
                    }

                    continue;
                }

                CertificateInfo? leaf = tlsChains[secret].FirstOrDefault();
                if (leaf is null)
                {
                    continue;
                }

                var evidence = new EvidenceDictionary { ["Secret"] = secretName, ["Certificate"] = leaf.Subject, ["Thumbprint"] = leaf.Thumbprint };
                double validity = (leaf.NotAfter - leaf.NotBefore).TotalDays;
                if (validity > options.MaxIngressValidityDays)
                {
                    findings.Add(RuleCatalog.CreateFinding(CertificateRules.IngressValidityTooLong, ingress.ToResourceRef(),
                        $"Ingress {ingress.Namespace}/{ingress.Name} serves '{leaf.Subject}' from Secret {secretName}, valid for {validity:0} days (over {options.MaxIngressValidityDays}).", evidence));
                }

                if (leaf.IsSelfSigned)
                {
                    findings.Add(RuleCatalog.CreateFinding(CertificateRules.IngressSelfSigned, ingress.ToResourceRef(),
                        $"Ingress {ingress.Namespace}/{ingress.Name} serves the self-signed certificate '{leaf.Subject}' from Secret {secretName}.", evidence));
                }

                List<string> uncovered = hosts.Where(h => !Covers(leaf, h)).ToList();
                if (uncovered.Count > 0)
                {
                    findings.Add(RuleCatalog.CreateFinding(CertificateRules.IngressHostNotCovered, ingress.ToResourceRef(),
                        $"Ingress {ingress.Namespace}/{ingress.Name} serves {string.Join(", ", uncovered)} with Secret {secretName}, whose certificate covers only {string.Join(", ", leaf.SubjectAlternativeNames.Where(n => n.StartsWith("DNS:", StringComparison.Ordinal)).Select(n => n[4..]))}.",
                        evidence));
                }
            }
        }
    }

    private static void CheckTrustedAuthorities(IReadOnlyList<CertificateInfo> certificates, IReadOnlyList<CertificateInfo> trusted, List<Finding> findings)
    {
        if (trusted.Count == 0)
        {
            return;
        }

        var parser = new X509CertificateParser();
        List<X509Certificate> authorities = trusted.Select(c => parser.ReadCertificate(c.GetRawData())).ToList();
        List<X509Certificate> intermediates = certificates.Where(c => c.IsCertificateAuthority).DistinctBy(c => c.Thumbprint).Select(c => parser.ReadCertificate(c.GetRawData())).ToList();
        string expected = string.Join("; ", trusted.Select(t => t.Subject));
        foreach (CertificateInfo certificate in certificates.Where(c => !c.IsCertificateAuthority))
        {
            if (!ChainVerifier.VerifiesTo(parser.ReadCertificate(certificate.GetRawData()), intermediates, authorities))
            {
                findings.Add(Create(CertificateRules.NotFromTrustedCa, certificate, $"'{certificate.Subject}' at {certificate.Source} does not chain to {expected}."));
            }
        }
    }


    /// <summary>
    /// For each webhook served by a Service: the TLS secrets mounted by the pods that Service selects
    /// must chain to the webhook's caBundle. Webhooks whose serving certificate is not in the
    /// snapshot are not judged.
    /// </summary>
    private static void CheckWebhookCaBundles(KubeSnapshot snapshot, IReadOnlyList<CertificateInfo> certificates, ILookup<ResourceRef, CertificateInfo> tlsChains, List<Finding> findings)
    {
        var parser = new X509CertificateParser();
        foreach (KubeObject configuration in snapshot.OfKind("ValidatingWebhookConfiguration").Concat(snapshot.OfKind("MutatingWebhookConfiguration")))
        {
            if (!configuration.Json.TryGet("webhooks"u8, out JsonElement webhooks) || webhooks.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement webhook in webhooks.EnumerateArray())
            {
                string webhookName = webhook.TryGet("name"u8, out JsonElement n) ? n.AsString() ?? "?" : "?";
                if (!webhook.TryGet("clientConfig"u8, out JsonElement client) || !client.TryGet("service"u8, out JsonElement service))
                {
                    continue;
                }

                string? serviceNamespace = service.TryGet("namespace"u8, out JsonElement sn) ? sn.AsString() : null;
                string? serviceName = service.TryGet("name"u8, out JsonElement sv) ? sv.AsString() : null;
                List<X509Certificate> bundle = certificates
                    .Where(c => c.Resource == configuration.ToResourceRef() && c.DataKey == $"webhook {webhookName} caBundle")
                    .Select(c => parser.ReadCertificate(c.GetRawData())).ToList();
                if (serviceNamespace is null || serviceName is null || bundle.Count == 0)
                {
                    continue;
                }

                foreach (string secretName in ServingSecrets(snapshot, serviceNamespace, serviceName))
                {
                    List<CertificateInfo> served = tlsChains[new ResourceRef("Secret", serviceNamespace, secretName)].ToList();
                    if (served.Count == 0)
                    {
                        continue;
                    }

                    List<X509Certificate> chain = served.Select(c => parser.ReadCertificate(c.GetRawData())).ToList();
                    if (!ChainVerifier.VerifiesTo(chain[0], chain.Skip(1).ToList(), bundle))
                    {
                        findings.Add(RuleCatalog.CreateFinding(CertificateRules.WebhookCaBundleMismatch, configuration.ToResourceRef(),
                            $"Webhook {webhookName} calls Service {serviceNamespace}/{serviceName}, whose pods serve '{served[0].Subject}' from Secret {secretName}; it does not chain to the webhook's caBundle ({string.Join("; ", bundle.Select(b => CertificateDescriber.FormatName(b.SubjectDN)))}).",
                            new EvidenceDictionary { ["Webhook"] = webhookName, ["Service"] = $"{serviceNamespace}/{serviceName}", ["Secret"] = secretName, ["ServingCertificate"] = served[0].Subject }));
                    }
                }
            }
        }
    }

    /// <summary>Secrets mounted by the workloads a Service selects.</summary>
    private static IEnumerable<string> ServingSecrets(KubeSnapshot snapshot, string ns, string serviceName)
    {
        KubeObject? service = snapshot.OfKind("Service").FirstOrDefault(s => s.Namespace == ns && s.Name == serviceName);
        Selectors.LabelSelector selector = Selectors.LabelSelector.ParseMap(service is null ? default : JsonRead.Property(JsonRead.Property(service.Json, "spec"), "selector"));
        if (service is null || selector.IsEmpty || selector.Problem is not null)
        {
            return Array.Empty<string>();
        }

        var secrets = new SortedSet<string>(StringComparer.Ordinal);
        foreach (KubeObject workload in WorkloadKinds.All.Prepend("Pod").SelectMany(snapshot.OfKind).Where(w => w.Namespace == ns))
        {
            JsonElement? podSpec = PodTemplate(workload, out IReadOnlyDictionary<string, string> labels);
            if (podSpec is not JsonElement pod || !selector.Matches(labels)
                || !pod.TryGet("volumes"u8, out JsonElement volumes) || volumes.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement volume in volumes.EnumerateArray())
            {
                if (volume.TryGet("secret"u8, out JsonElement secret) && secret.TryGet("secretName"u8, out JsonElement name) && name.AsString() is string secretName)
                {
                    secrets.Add(secretName);
                }
            }
        }

        return secrets;
    }

    /// <summary>The pod spec of a Pod or a workload's pod template, with the labels its pods carry.</summary>
    private static JsonElement? PodTemplate(KubeObject workload, out IReadOnlyDictionary<string, string> labels)
    {
        labels = workload.Labels;
        if (workload.Kind == "Pod")
        {
            return workload.Json.TryGet("spec"u8, out JsonElement podSpec) ? podSpec : null;
        }

        JsonElement template = WorkloadKinds.Template(workload);
        if (template.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var templateLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (template.TryGet("metadata"u8, out JsonElement metadata) && metadata.TryGet("labels"u8, out JsonElement map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty label in map.EnumerateObject())
            {
                templateLabels[label.Name] = label.Value.AsString() ?? string.Empty;
            }
        }

        labels = templateLabels;
        return template.TryGet("spec"u8, out JsonElement templateSpec) ? templateSpec : null;
    }

    /// <summary>RFC 6125 matching: exact DNS name, or a wildcard covering exactly one left-most label.</summary>
    public static bool Covers(CertificateInfo certificate, string host)
    {
        // The platform's RFC 6125 matcher: DNS and IP SANs, one left-most wildcard label; the subject CN
        // is not consulted, as Go's TLS (the API server's, most ingress controllers') no longer does.
        using var x509 = new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate.GetRawData());
        try
        {
            return x509.MatchesHostname(host, allowWildcards: true, allowCommonName: false);
        }
        catch (ArgumentException)
        {
            return false; // not a DNS name or an address (a broken Ingress host): no certificate covers it
        }
    }

    private static byte[]? DataValue(JsonElement secret, string key)
    {
        if (!secret.TryGet("data"u8, out JsonElement data) || !data.TryGet(key, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // Decoded from the document's UTF-8 when it is plain base64 (a redacted value never is: it has a
        // prefix with a colon); line-broken base64, which the API accepts, takes the text path.
        if (value.TryGetBytesFromBase64(out byte[]? decoded))
        {
            return decoded;
        }

        string text = value.AsString()!;
        if (RedactedValue.IsRedacted(text))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // The O values of the subject, read from the DER name: a display string cannot be split safely (an O may hold ", ").
    private static List<string> Organizations(CertificateInfo certificate) =>
        new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(certificate.GetRawData()).SubjectDN
            .GetValueList(Org.BouncyCastle.Asn1.X509.X509Name.O).ToList();

    private static Finding Create(string ruleId, CertificateInfo certificate, string message, Severity? severity = null, EvidenceDictionary? evidence = null)
    {
        evidence ??= new EvidenceDictionary();
        evidence["Source"] = certificate.Source;
        evidence["Subject"] = certificate.Subject;
        evidence["NotAfter"] = certificate.NotAfter.ToString("O", CultureInfo.InvariantCulture);
        evidence["Thumbprint"] = certificate.Thumbprint;
        return RuleCatalog.CreateFinding(ruleId, ResourceOf(certificate), message, evidence, severity);
    }

    /// <summary>The object holding the certificate, or the file, kubeconfig or server it came from.</summary>
    internal static ResourceRef ResourceOf(CertificateInfo certificate)
    {
        if (certificate.Resource is ResourceRef resource)
        {
            return resource;
        }

        string source = certificate.Source;
        if (source.StartsWith("kubeconfig ", StringComparison.Ordinal))
        {
            return new ResourceRef("Kubeconfig", null, source["kubeconfig ".Length..]);
        }

        return source.StartsWith("API server ", StringComparison.Ordinal)
            ? new ResourceRef("APIServer", null, source["API server ".Length..])
            : new ResourceRef("File", null, source);
    }
}
