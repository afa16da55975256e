using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Core.Rules;
using KubeSecurity.Core.Workloads;
using KubeSecurity.Model;
using KubeSecurity.Core.Snapshots;

namespace KubeSecurity.Core.Secrets;

/// <summary>Options of secret audits.</summary>
public sealed record SecretReviewOptions
{
    public int MaxAgeDays { get; init; } = 90;
    public DateTimeOffset AsOf { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>What a secret review found, the items it could not read, and whether values were redacted.</summary>
public sealed class SecretReviewResult
{
    public List<Finding> Findings { get; } = new();
    public List<string> Problems { get; } = new();
    public bool ValuesRedacted { get; set; }
}

/// <summary>
/// Secret audits over one snapshot: how secrets are consumed, which are orphaned, missing, stale or
/// legacy tokens, who can read them, which pods carry API tokens they do not need, registry
/// credentials, key material in Opaque secrets, and personal information in metadata.
/// </summary>
public static partial class SecretAnalyzer
{
    public static SecretReviewResult Analyze(KubeSnapshot snapshot, RbacPolicy policy, SecretReviewOptions? options = null)
    {
        options ??= new SecretReviewOptions();
        var result = new SecretReviewResult();
        List<PodSpecSite> sites = PodSpecs.Find(snapshot);
        List<SecretReference> references = SecretReferences.Find(snapshot, sites);
        var secrets = snapshot.OfKind("Secret").ToDictionary(s => (s.Namespace ?? "default", s.Name));
        var referenced = references.Select(r => (r.Namespace, r.SecretName)).ToHashSet();

        foreach (SecretReference reference in references.Where(r => r.How is "env" or "envFrom"))
        {
            result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.SecretInEnvironment, reference.User,
                $"{reference.User} reads Secret {reference.Namespace}/{reference.SecretName}{(reference.Key is null ? string.Empty : $" key '{reference.Key}'")} into the environment ({reference.How} at {reference.Location}).",
                new EvidenceDictionary { ["Secret"] = $"{reference.Namespace}/{reference.SecretName}", ["Location"] = reference.Location, ["How"] = reference.How }));
        }

        // A missing secret is only known when the snapshot holds Secrets at all.
        if (snapshot.HasKind("Secret"))
        {
            foreach (SecretReference reference in references.Where(r => !r.Optional && !secrets.ContainsKey((r.Namespace, r.SecretName))))
            {
                result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.MissingSecret, reference.User,
                    $"{reference.User} references Secret {reference.Namespace}/{reference.SecretName} ({reference.How} at {reference.Location}), which does not exist.",
                    new EvidenceDictionary { ["Secret"] = $"{reference.Namespace}/{reference.SecretName}", ["Location"] = reference.Location }));
            }
        }

        foreach (KubeObject secret in secrets.Values)
        {
            ReviewSecret(secret, referenced, options, result);
        }

        UnneededTokens(snapshot, policy, sites, result);
        UnneededAccountTokens(snapshot, policy, result);
        BroadAccess(policy, secrets.Values, result);
        PersonalInformation(snapshot, result);
        return result;
    }

    private static void ReviewSecret(KubeObject secret, HashSet<(string, string)> referenced, SecretReviewOptions options, SecretReviewResult result)
    {
        string ns = secret.Namespace ?? "default";
        string type = SecretData.Type(secret)!;
        ResourceRef resource = secret.ToResourceRef();
        bool legacyToken = type == "kubernetes.io/service-account-token";
        if (legacyToken)
        {
            string account = secret.Annotations.GetValueOrDefault("kubernetes.io/service-account.name") ?? "?";
            result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.LegacyToken, resource,
                $"{resource} is a long-lived token of ServiceAccount {ns}/{account}: it never expires and works for anyone who reads it.",
                new EvidenceDictionary { ["ServiceAccount"] = $"{ns}/{account}" }));
        }

        bool managedByOthers = type.StartsWith("helm.sh/", StringComparison.Ordinal) || type == "bootstrap.kubernetes.io/token" || legacyToken
            || secret.Outline.TryGet("metadata"u8, out JsonElement md) && md.TryGet("ownerReferences"u8, out JsonElement owners) && owners.ValueKind == JsonValueKind.Array && owners.Count() > 0;
        if (!managedByOthers && !referenced.Contains((ns, secret.Name)))
        {
            // Messages of the findings every secret can yield are composed when read.
            string keys = string.Join(", ", SecretData.Keys(secret));
            result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.OrphanSecret, resource,
                new OrphanMessage(resource, type, keys),
                new EvidenceDictionary(2) { ["Type"] = type, ["Keys"] = keys }));
        }

        (DateTimeOffset? changed, string source) = LastChange(secret);
        if (changed is DateTimeOffset when && !managedByOthers && (options.AsOf - when).TotalDays > options.MaxAgeDays)
        {
            int days = (int)(options.AsOf - when).TotalDays;
            int limit = options.MaxAgeDays;
            result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.StaleSecret, resource,
                new StaleMessage(resource, days, when, source, limit),
                new EvidenceDictionary { ["LastChanged"] = when.ToString("o", CultureInfo.InvariantCulture), ["DeterminedFrom"] = source, ["AgeDays"] = days.ToString(CultureInfo.InvariantCulture) }));
        }

        if (type is "kubernetes.io/dockerconfigjson" or "kubernetes.io/dockercfg")
        {
            RegistryFindings(secret, type, result);
        }

        if (type == "Opaque")
        {
            KeyMaterial(secret, result);
        }
    }

    /// <summary>
    /// When the secret's data last changed: the newest managedFields entry that wrote data or
    /// stringData, else creationTimestamp (which updates do not move), and which one was used.
    /// </summary>
    public static (DateTimeOffset? When, string Source) LastChange(KubeObject secret)
    {
        DateTimeOffset? newest = null;
        if (secret.Outline.TryGet("metadata"u8, out JsonElement metadata) && metadata.TryGet("managedFields"u8, out JsonElement fields) && fields.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement entry in fields.EnumerateArray())
            {
                bool wroteData = entry.TryGet("fieldsV1"u8, out JsonElement v1) && v1.ValueKind == JsonValueKind.Object
                    && (v1.TryGet("f:data"u8, out _) || v1.TryGet("f:stringData"u8, out _));
                if (wroteData && Snapshots.JsonRead.String(entry, "time") is string time
                    && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when) && (newest is null || when > newest))
                {
                    newest = when;
                }
            }
        }

        return newest is not null ? (newest, "managedFields") : secret.CreationTimestamp is DateTimeOffset created ? (created, "creationTimestamp") : (null, "unknown");
    }

    /// <summary>The registries a pull secret holds credentials for, or a problem when it cannot be read.</summary>
    public static List<string>? Registries(KubeObject secret, string type, out bool redacted, out string? problem)
    {
        string key = type == "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
        if (!SecretData.TryRead(secret, key, out byte[] value, out redacted, out problem))
        {
            problem ??= redacted ? null : $"it has no {key} key";
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(value);
            JsonElement auths = key == ".dockercfg" ? document.RootElement : document.RootElement.TryGet("auths"u8, out JsonElement a) ? a : default;
            return auths.ValueKind == JsonValueKind.Object ? auths.EnumerateObject().Select(p => p.Name).ToList() : new List<string>();
        }
        catch (JsonException)
        {
            problem = $"{key} is not valid JSON";
            return null;
        }
    }

    private static void RegistryFindings(KubeObject secret, string type, SecretReviewResult result)
    {
        // Held so Registries' read of the pull secret shares one read of a detached body.
        using BodyLease body = secret.OpenBody();
        List<string>? registries = Registries(secret, type, out bool redacted, out string? problem);
        if (problem is not null)
        {
            result.Problems.Add($"{secret.ToResourceRef()}: {problem}; its registries are unknown.");
        }

        result.ValuesRedacted |= redacted;
        string list = registries is null ? "unknown registries (values redacted or unreadable)" : registries.Count == 0 ? "no registries" : string.Join(", ", registries);
        result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.RegistryCredentials, secret.ToResourceRef(),
            $"{secret.ToResourceRef()} holds pull credentials for {list}.",
            new EvidenceDictionary { ["Registries"] = registries is null ? "unknown" : string.Join(", ", registries) }));
    }

    private static void KeyMaterial(KubeObject secret, SecretReviewResult result)
    {
        // One read of a detached body for all the keys' values.
        using BodyLease body = secret.OpenBody();
        var keys = new List<string>();
        foreach (string key in SecretData.Keys(secret))
        {
            bool byName = KeyMaterialName().IsMatch(key);
            bool byContent;
            bool read = SecretData.TryReadPooled(secret, key, out SecretData.PooledValue value, out bool redacted, out string? problem);
            using (value)
            {
                // Searched as bytes: decoding every value to text only to look for a PEM marker costs more than the audit.
                ReadOnlySpan<byte> bytes = value.Bytes;
                byContent = read && bytes.IndexOf("-----BEGIN "u8) >= 0 && (bytes.IndexOf("PRIVATE KEY-----"u8) >= 0 || bytes.IndexOf("CERTIFICATE-----"u8) >= 0);
            }

            if (!read && problem is not null)
            {
                result.Problems.Add($"{secret.ToResourceRef()}: {problem}.");
            }

            result.ValuesRedacted |= redacted;
            if (byName || byContent)
            {
                keys.Add(key);
            }
        }

        if (keys.Count > 0)
        {
            result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.KeyMaterialInOpaque, secret.ToResourceRef(),
                $"Opaque {secret.ToResourceRef()} holds key material under {string.Join(", ", keys)}; a kubernetes.io/tls secret would be validated and audited.",
                new EvidenceDictionary { ["Keys"] = string.Join(", ", keys) }));
        }
    }

    private static void UnneededTokens(KubeSnapshot snapshot, RbacPolicy policy, List<PodSpecSite> sites, SecretReviewResult result)
    {
        var accounts = snapshot.OfKind("ServiceAccount").ToDictionary(a => (a.Namespace ?? "default", a.Name));
        foreach (PodSpecSite site in sites.Where(s => !s.IsStaticPod))
        {
            bool? podSetting = site.Spec.TryGet("automountServiceAccountToken"u8, out JsonElement p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.GetBoolean() : null;
            bool? accountSetting = accounts.TryGetValue((site.Namespace, site.ServiceAccount), out KubeObject? account)
                && account.Json.TryGet("automountServiceAccountToken"u8, out JsonElement a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False ? a.GetBoolean() : null;
            if (!(podSetting ?? accountSetting ?? true))
            {
                continue;
            }

            // Grants of its own: bindings that name the account or its namespace's service accounts, other than the API server's defaults.
            RbacSubject subject = RbacSubject.ServiceAccount(site.Namespace, site.ServiceAccount);
            if (!HasOwnGrants(policy, subject))
            {
                ResourceRef owner = site.Owner.ToResourceRef();
                result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.UnneededTokenMount, owner,
                    new TokenMountMessage(owner, subject),
                    new EvidenceDictionary { ["ServiceAccount"] = subject.ToString(), ["SetBy"] = podSetting is not null ? "pod spec" : accountSetting is not null ? "service account" : "default (true)" }));
            }
        }
    }

    /// <summary>Service accounts (the default ones above all) that hand every pod a token although they hold no grants of their own.</summary>
    private static void UnneededAccountTokens(KubeSnapshot snapshot, RbacPolicy policy, SecretReviewResult result)
    {
        foreach (KubeObject account in snapshot.OfKind("ServiceAccount"))
        {
            bool disabled = account.Json.TryGet("automountServiceAccountToken"u8, out JsonElement a) && a.ValueKind == JsonValueKind.False;
            RbacSubject subject = RbacSubject.ServiceAccount(account.Namespace ?? "default", account.Name);
            if (disabled || HasOwnGrants(policy, subject))
            {
                continue;
            }

            result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.UnneededTokenMount, account.ToResourceRef(),
                new AccountTokenMessage(subject),
                new EvidenceDictionary { ["ServiceAccount"] = subject.ToString(), ["SetBy"] = "service account" },
                account.Name == "default" ? null : Severity.Info));
        }
    }

    // Messages of the findings every secret or service account can yield, composed when read.
    private sealed class OrphanMessage(ResourceRef resource, string type, string keys) : ComposedMessage
    {
        public override string Compose() => $"No pod, workload, service account or ingress references {resource} (type {type}, keys: {keys}).";
    }

    private sealed class StaleMessage(ResourceRef resource, int days, DateTimeOffset when, string source, int limit) : ComposedMessage
    {
        public override string Compose() => $"{resource} has not changed for {days} days (last change {when:yyyy-MM-dd}, from {source}); the limit is {limit}.";
    }

    private sealed class TokenMountMessage(ResourceRef owner, RbacSubject subject) : ComposedMessage
    {
        public override string Compose() => $"{owner} mounts an API token of {subject}, which has no RBAC grants of its own.";
    }

    private sealed class AccountTokenMessage(RbacSubject subject) : ComposedMessage
    {
        public override string Compose() => $"{subject} does not set automountServiceAccountToken: false although it has no RBAC grants of its own; every pod running as it gets an API token it does not need.";
    }

    private static bool HasOwnGrants(RbacPolicy policy, RbacSubject subject) =>
        policy.AnyGrant(RbacIdentity.For(subject), static g => !g.Binding.IsSystemDefault && g.BoundSubject.Name is not (RbacIdentity.Authenticated or "system:serviceaccounts"));

    private static void BroadAccess(RbacPolicy policy, IEnumerable<KubeObject> secrets, SecretReviewResult result)
    {
        HashSet<ResourceRef> systemDefaults = policy.Bindings.Where(b => b.IsSystemDefault).Select(b => b.Ref).ToHashSet();
        foreach (IGrouping<string, KubeObject> ns in secrets.GroupBy(s => s.Namespace ?? "default"))
        {
            var readers = new Dictionary<(RbacSubject, string), HashSet<string>>();
            foreach (string verb in new[] { "get", "list", "watch" })
            {
                foreach (RbacPermission row in policy.WhoCan(RbacRequest.ForResource(verb, "secrets", ns: ns.Key), false))
                {
                    // The namespace's own RoleBindings are its admins' business; system defaults and system:masters are the control plane.
                    if (row.Binding is null || row.Binding.Kind == "RoleBinding" || row.Via is not null || systemDefaults.Contains(row.Binding))
                    {
                        continue;
                    }

                    if (!readers.TryGetValue((row.Subject, row.Binding.ToString()), out HashSet<string>? verbs))
                    {
                        readers[(row.Subject, row.Binding.ToString())] = verbs = new HashSet<string>(StringComparer.Ordinal);
                    }

                    verbs.Add(verb);
                }
            }

            foreach (var reader in readers)
            {
                bool everyone = reader.Key.Item1.Name is RbacIdentity.Authenticated or RbacIdentity.Unauthenticated or "system:serviceaccounts";
                result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.BroadSecretAccess, new ResourceRef("Namespace", null, ns.Key),
                    $"{reader.Key.Item1} may {string.Join("/", reader.Value.Order(StringComparer.Ordinal))} the {ns.Count()} secret(s) of namespace {ns.Key} through {reader.Key.Item2}.",
                    new EvidenceDictionary { ["Subject"] = reader.Key.Item1.ToString(), ["Binding"] = reader.Key.Item2, ["Verbs"] = string.Join(",", reader.Value.Order(StringComparer.Ordinal)) },
                    everyone ? Severity.Critical : null));
            }
        }
    }

    private static void PersonalInformation(KubeSnapshot snapshot, SecretReviewResult result)
    {
        foreach (KubeObject item in snapshot.Objects)
        {
            // A list only for the few objects with a place to name: every object of the snapshot is looked at.
            List<string>? places = null;
            if (Pii(item.Name))
            {
                (places ??= new List<string>()).Add("name");
            }

            foreach (KeyValuePair<string, string> label in item.Labels)
            {
                if (Pii(label.Key) || Pii(label.Value))
                {
                    (places ??= new List<string>()).Add($"label {label.Key}");
                }
            }

            foreach (KeyValuePair<string, string> annotation in item.Annotations)
            {
                if (annotation.Key != "kubectl.kubernetes.io/last-applied-configuration" && (Pii(annotation.Key) || Pii(annotation.Value)))
                {
                    (places ??= new List<string>()).Add($"annotation {annotation.Key}");
                }
            }

            if (places is not null)
            {
                result.Findings.Add(RuleCatalog.CreateFinding(SecretRules.PersonalInformation, item.ToResourceRef(),
                    $"{item.ToResourceRef()} has personal information (an email address or phone number) in its {string.Join(", ", places)}.",
                    new EvidenceDictionary { ["Where"] = string.Join(", ", places) }));
            }
        }
    }

    private static bool Pii(string text) => text.Length >= 6 && (Email().IsMatch(text) || Phone().IsMatch(text));

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // International or grouped numbers of 9+ digits; plain version numbers and ids do not look like this.
    [GeneratedRegex(@"(?<![\w.])\+\d{1,3}[ \-]?\(?\d{1,4}\)?(?:[ \-]?\d{2,4}){2,4}(?![\w.])|(?<![\w.])\(\d{3}\)[ \-]?\d{3}[ \-]\d{4}(?![\w.])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    [GeneratedRegex(@"^tls\.(crt|key)$|\.(pem|key|crt|p12|pfx)$|(^|[._\-])(private[._\-]?key|id_rsa|id_ecdsa|id_ed25519|cert|certificate)([._\-]|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyMaterialName();
}
