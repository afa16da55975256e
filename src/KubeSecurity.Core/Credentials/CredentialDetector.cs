using KubeSecurity.Model;
using System.Text.RegularExpressions;

namespace KubeSecurity.Core.Credentials;

/// <summary>One credential found in a value: which detector, and where in the value (never the value itself outside the engine).</summary>
public readonly record struct CredentialMatch(string Detector, int Index, int Length)
{
    /// <summary>High for formats with a checksum or a distinctive prefix, Medium for shapes and credential-named keys, Low for entropy alone.</summary>
    public CredentialConfidence Confidence { get; init; } = CredentialConfidence.Medium;
}

/// <summary>
/// Finds credentials in text values: PEM private keys, cloud and SaaS tokens, JWTs, URLs and
/// connection strings with passwords, password assignments in configuration text, credential-named
/// keys with literal values, and high-entropy strings. References (file paths, $(VAR), ${VAR},
/// templating, *_FILE settings, public certificates, digests, UUIDs) are not credentials.
/// </summary>
public sealed partial class CredentialDetector
{
    public const string PrivateKey = "PrivateKey";
    public const string AwsAccessKey = "AwsAccessKeyId";
    public const string AwsSecretKey = "AwsSecretAccessKey";
    public const string GitHubToken = "GitHubToken";
    public const string GitLabToken = "GitLabToken";
    public const string SlackToken = "SlackToken";
    public const string Jwt = "JsonWebToken";
    public const string UrlCredentials = "UrlWithPassword";
    public const string PasswordAssignment = "PasswordAssignment";
    public const string CredentialKey = "CredentialNamedKey";
    public const string HighEntropy = "HighEntropyString";
    public const string WeakDefaultPassword = "WeakDefaultPassword";
    public const string HttpAuthorization = "HttpAuthorization";
    public const string GcpServiceAccountKey = "GcpServiceAccountKey";
    public const string Pkcs12KeyStore = "Pkcs12KeyStore";

    /// <summary>Shannon entropy in bits per character above which a long token counts as random (tunable).</summary>
    public double EntropyThreshold { get; init; } = 4.2;

    /// <summary>The shortest token the entropy detector looks at.</summary>
    public int MinimumEntropyLength { get; init; } = 24;

    public static string Describe(string detector) => detector switch
    {
        PrivateKey => "a PEM private key",
        AwsAccessKey => "an AWS access key id",
        AwsSecretKey => "an AWS secret access key",
        GitHubToken => "a GitHub token",
        GitLabToken => "a GitLab token",
        SlackToken => "a Slack token or webhook",
        Jwt => "a JSON Web Token",
        UrlCredentials => "a URL or connection string with a password",
        PasswordAssignment => "a password or secret assignment",
        CredentialKey => "a literal value under a credential-named key",
        HighEntropy => "a high-entropy string (a likely key or token)",
        WeakDefaultPassword => "a well-known default password (changeme, admin, ...)",
        HttpAuthorization => "HTTP credentials (an Authorization header, curl -u user:password)",
        _ => TokenFormats.All.FirstOrDefault(f => f.Detector == detector)?.Description ?? detector switch
        {
            "MailchimpKey" => "a Mailchimp API key",
            "TelegramBotToken" => "a Telegram bot token",
            "AzureAdClientSecret" => "an Entra ID (Azure AD) client secret",
            GcpServiceAccountKey => "a Google Cloud service-account key file",
            Pkcs12KeyStore => "a PKCS#12 key store (.p12/.pfx, base64)",
            _ => KeyNamedFormats.Describe(detector) ?? detector,
        },
    };

    /// <summary>The credentials in a value stored under a key (an env var name, a ConfigMap key, an annotation name).</summary>
    /// <remarks>
    /// A value that is a configuration file (several lines) is also read line by line: each
    /// "key = value" line is judged as a value under that key would be, so db.pass=… in a
    /// properties file or password = "…" in TOML is found even without a format of its own.
    /// </remarks>
    public List<CredentialMatch> Scan(string key, string value)
    {
        var matches = new List<CredentialMatch>();
        if (string.IsNullOrWhiteSpace(value) || IsReferenceKey(key) || IsReferenceValue(value))
        {
            return matches;
        }

        // Each detector runs only where a cheap literal probe says it could match: scanning hundreds
        // of megabytes of configuration text must not start a regex at every letter.
        if (value.Contains("PRIVATE KEY", StringComparison.Ordinal) || value.Contains("PuTTY-User-Key-File-", StringComparison.Ordinal))
        {
            foreach (Match match in PrivateKeyPattern().Matches(value))
            {
                matches.Add(new CredentialMatch(PrivateKey, match.Index, match.Length) { Confidence = CredentialConfidence.High });
            }
        }

        foreach (Match match in AwsPattern().Matches(value))
        {
            if (!FormatScanner.IsPlaceholder(value.AsSpan(match.Index + 4, 16)))
            {
                matches.Add(new CredentialMatch(AwsAccessKey, match.Index, match.Length) { Confidence = CredentialConfidence.High });
            }
        }

        FormatScanner.Scan(value, matches);
        HttpCredentials(value, matches);
        Base64KeyMaterial(value, matches);
        if (value.Contains("<add ", StringComparison.Ordinal))
        {
            XmlKeyValueSettings(value, matches);
        }

        if (value.Contains("service_account", StringComparison.Ordinal))
        {
            foreach (Match match in GcpServiceAccount().Matches(value))
            {
                Group id = match.Groups["id"];
                if (!Overlaps(matches, id.Index))
                {
                    matches.Add(new CredentialMatch(GcpServiceAccountKey, id.Index, id.Length) { Confidence = CredentialConfidence.High });
                }
            }
        }

        if (value.Contains("eyJ", StringComparison.Ordinal))
        {
            foreach (Match match in JwtPattern().Matches(value))
            {
                matches.Add(new CredentialMatch(Jwt, match.Index, match.Length));
            }
        }

        for (int at = value.IndexOf("://", StringComparison.Ordinal); at >= 0; at = value.IndexOf("://", at + 3, StringComparison.Ordinal))
        {
            if (UrlWithPassword(value, at) is (int start, int length) && !Overlaps(matches, start))
            {
                matches.Add(new CredentialMatch(UrlCredentials, start, length) { Confidence = CredentialConfidence.High });
            }
        }

        // Vendor keys without a prefix (DD_API_KEY=<hex>) take precedence over the generic assignment verdict.
        // Every vendor key name holds "key" or "token", so the cheap word probe gates the vendor probe.
        bool credentialWords = HasCredentialWord(value);
        if (credentialWords && KeyNamedFormats.MayApply(key, value))
        {
            ConfigFileLines(key, value, matches, vendorOnly: true);
        }

        if (credentialWords)
        {
            foreach (Match match in Assignment().Matches(value))
            {
                Group secret = match.Groups["value"];
                if (ValueShape.IsWeakDefault(secret.Value) && !Overlaps(matches, secret.Index))
                {
                    matches.Add(new CredentialMatch(WeakDefaultPassword, secret.Index, secret.Length));
                }
                else if (!IsReferenceValue(secret.Value) && !Overlaps(matches, secret.Index) && !IsPlaceholder(secret.Value) && !ValueShape.IsNotASecret(secret.Value)
                    && !ValueShape.IsSettingKey(match.Groups["key"].Value) && !IsSetting(secret.Value))
                {
                    bool aws = value.AsSpan(Math.Max(0, match.Index - 20), Math.Min(20, match.Index)).Contains("aws", StringComparison.OrdinalIgnoreCase);
                    matches.Add(new CredentialMatch(aws ? AwsSecretKey : PasswordAssignment, secret.Index, secret.Length));
                }
            }
        }

        if (credentialWords)
        {
            ConfigFileLines(key, value, matches, vendorOnly: false);
        }

        // The value as a whole under its key: only short values can be a key-named secret, so long
        // files are not copied to be trimmed.
        ReadOnlySpan<char> whole = value.AsSpan().Trim();
        if (matches.Count == 0 && whole.Length <= 512)
        {
            string trimmed = whole.Length == value.Length ? value : whole.ToString();
            int at = value.AsSpan().IndexOf(whole);
            if (KeyNamedFormats.Match(key, string.Empty, trimmed) is string vendor)
            {
                matches.Add(new CredentialMatch(vendor, at, trimmed.Length) { Confidence = KeyNamedFormats.Confidence });
                return matches;
            }

            // A credential-named key is evidence only when its value looks like a secret (or is a known default).
            if (CredentialNamedValue(key, trimmed) is string named
                && (named == WeakDefaultPassword || (!trimmed.Contains('\n', StringComparison.Ordinal) && !trimmed.Contains(' ', StringComparison.Ordinal))))
            {
                bool aws = named == CredentialKey && key.Contains("aws", StringComparison.OrdinalIgnoreCase) && AwsSecretShape().IsMatch(trimmed);
                matches.Add(new CredentialMatch(aws ? AwsSecretKey : named, at, trimmed.Length));
            }
        }

        if (matches.Count == 0)
        {
            ScanEntropy(value, matches);
        }

        return matches;
    }

    /// <summary>Each "key = value" line of a configuration file value, judged as a value under that key.</summary>
    private static void ConfigFileLines(string fileKey, string value, List<CredentialMatch> matches, bool vendorOnly)
    {
        var assignments = new List<ConfigAssignment>();
        ConfigLines.Read(value, assignments, credentialKeysOnly: !vendorOnly);
        foreach (ConfigAssignment line in assignments)
        {
            if (Overlaps(matches, line.ValueStart))
            {
                continue;
            }

            string lineValue = value.Substring(line.ValueStart, line.ValueLength);
            if (lineValue.Contains(' ', StringComparison.Ordinal) || lineValue.Length > 512)
            {
                continue;
            }

            if (KeyNamedFormats.Match(line.Key, fileKey, lineValue) is string vendor)
            {
                matches.Add(new CredentialMatch(vendor, line.ValueStart, line.ValueLength) { Confidence = KeyNamedFormats.Confidence });
            }
            else if (!vendorOnly && !IsReferenceKey(line.Key) && CredentialNamedValue(line.Key, lineValue) is string named)
            {
                matches.Add(new CredentialMatch(named, line.ValueStart, line.ValueLength));
            }
        }
    }

    private void ScanEntropy(string value, List<CredentialMatch> matches)
    {
        if (value.Length < MinimumEntropyLength || value.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) || HoldsPublicKeys(value))
        {
            return;
        }

        int start = -1;
        for (int i = 0; i <= value.Length; i++)
        {
            // '=' belongs to a token only as base64 padding: in KEY=value it separates two words.
            bool tokenChar = i < value.Length && (char.IsAsciiLetterOrDigit(value[i]) || value[i] is '+' or '/' or '_' or '-'
                || (value[i] == '=' && (i + 1 == value.Length || !char.IsAsciiLetterOrDigit(value[i + 1]))));
            if (tokenChar && start < 0)
            {
                start = i;
            }
            else if (!tokenChar && start >= 0)
            {
                int length = i - start;
                if (length >= MinimumEntropyLength && length <= 4096)
                {
                    ReadOnlySpan<char> token = value.AsSpan(start, length);
                    if (LooksRandom(token) && !IsBenignToken(value, start, token))
                    {
                        matches.Add(new CredentialMatch(HighEntropy, start, length) { Confidence = CredentialConfidence.Low });
                    }
                }

                start = -1;
            }
        }
    }

    // Public keys, known_hosts lines and JWKS documents are full of random-looking base64 that is meant to be published.
    /// <summary>
    /// "Authorization: Basic base64(user:password)", "Bearer token" and "curl -u user:password":
    /// credentials written where HTTP clients are configured or invoked.
    /// </summary>
    private static readonly (string Marker, bool Basic)[] AuthorizationSchemes = { ("Basic ", true), ("Bearer ", false), ("basic ", true), ("bearer ", false) };
    private static readonly string[] DockerAuthMarkers = { "\"auth\": \"", "\"auth\":\"" };
    private static readonly string[] UserFlags = { " -u ", " --user ", " --user=" };

    private static void HttpCredentials(string value, List<CredentialMatch> matches)
    {
        foreach ((string marker, bool basic) in AuthorizationSchemes)
        {
            for (int at = value.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = value.IndexOf(marker, at + 1, StringComparison.Ordinal))
            {
                int start = at + marker.Length;
                int end = start;
                while (end < value.Length && (char.IsAsciiLetterOrDigit(value[end]) || value[end] is '+' or '/' or '=' or '-' or '_' or '.' or '~'))
                {
                    end++;
                }

                ReadOnlySpan<char> token = value.AsSpan(start, end - start);
                bool credential = basic
                    ? token.Length >= 8 && DecodesToUserAndPassword(token)
                    : token.Length >= 20 && !FormatScanner.IsPlaceholder(token) && !IsReferenceValue(token.ToString());
                if (credential && !Overlaps(matches, start))
                {
                    matches.Add(new CredentialMatch(HttpAuthorization, start, end - start) { Confidence = basic ? CredentialConfidence.High : CredentialConfidence.Medium });
                }
            }
        }

        // Docker config.json: "auth": base64(user:password).
        foreach (string marker in DockerAuthMarkers)
        {
            for (int at = value.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = value.IndexOf(marker, at + 1, StringComparison.Ordinal))
            {
                int start = at + marker.Length;
                int end = value.IndexOf('"', start);
                if (end > start && DecodesToUserAndPassword(value.AsSpan(start, end - start)) && !Overlaps(matches, start))
                {
                    matches.Add(new CredentialMatch(HttpAuthorization, start, end - start) { Confidence = CredentialConfidence.High });
                }
            }
        }

        foreach (string flag in UserFlags)
        {
            for (int at = value.IndexOf(flag, StringComparison.Ordinal); at >= 0; at = value.IndexOf(flag, at + 1, StringComparison.Ordinal))
            {
                int start = at + flag.Length;
                int end = start;
                while (end < value.Length && !char.IsWhiteSpace(value[end]))
                {
                    end++;
                }

                string pair = value[start..end].Trim('"', '\'');
                int colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && colon < pair.Length - 1 && !IsReferenceValue(pair[(colon + 1)..]) && !IsPlaceholder(pair[(colon + 1)..]) && !Overlaps(matches, start))
                {
                    matches.Add(new CredentialMatch(HttpAuthorization, start, end - start) { Confidence = CredentialConfidence.High });
                }
            }
        }
    }

    /// <summary>
    /// .NET-style settings (NuGet.config, app.config): &lt;add key="ClearTextPassword" value="..." /&gt;.
    /// The key attribute names the setting, so it is judged as a credential-named key would be.
    /// </summary>
    private static void XmlKeyValueSettings(string value, List<CredentialMatch> matches)
    {
        foreach (Match element in XmlAddElement().Matches(value))
        {
            Group secret = element.Groups["value"];
            if (!Overlaps(matches, secret.Index) && CredentialNamedValue(element.Groups["key"].Value, secret.Value) is string named)
            {
                matches.Add(new CredentialMatch(named, secret.Index, secret.Length));
            }
        }
    }

    /// <summary>
    /// Key material in a ConfigMap's binaryData (base64 of a file): only private keys and key
    /// stores count, since any binary file (an image, a font) would look random.
    /// </summary>
    public static List<CredentialMatch> ScanBinary(string base64)
    {
        var matches = new List<CredentialMatch>();
        Base64KeyMaterial(base64, matches);
        return matches;
    }

    /// <summary>Base64 private keys (PEM inside, as in kubeconfig client-key-data) and PKCS#12 key stores.</summary>
    private static void Base64KeyMaterial(string value, List<CredentialMatch> matches)
    {
        Base64PrivateKeys(value, matches);
        for (int at = value.IndexOf("MI", StringComparison.Ordinal); at >= 0; at = value.IndexOf("MI", at + 2, StringComparison.Ordinal))
        {
            if ((at == 0 || !Base64Char(value[at - 1])) && IsPkcs12(value.AsSpan(at)) && !Overlaps(matches, at))
            {
                int end = at;
                while (end < value.Length && (Base64Char(value[end]) || value[end] is '\n' or '\r'))
                {
                    end++;
                }

                matches.Add(new CredentialMatch(Pkcs12KeyStore, at, end - at) { Confidence = CredentialConfidence.High });
            }
        }
    }

    private static bool Base64Char(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=';

    // PFX = SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data (1.2.840.113549.1.7.1), ... }, ... } (RFC 7292).
    private static ReadOnlySpan<byte> Pkcs7Data => new byte[] { 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01 };

    private static bool IsPkcs12(ReadOnlySpan<char> base64)
    {
        if (base64.Length < 32)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[24];
        if (!Convert.TryFromBase64Chars(base64[..32], head, out int written) || written < 24 || head[0] != 0x30)
        {
            return false;
        }

        int version = head[1] switch { 0x80 => 2, 0x81 => 3, 0x82 => 4, 0x83 => 5, < 0x80 => 2, _ => -1 };
        return version > 0 && head.Slice(version).StartsWith(new byte[] { 0x02, 0x01, 0x03, 0x30 }) && head.IndexOf(Pkcs7Data) > 0;
    }

    /// <summary>A PEM private key stored base64-encoded (kubeconfig client-key-data, a Secret's data copied into a ConfigMap).</summary>
    private static void Base64PrivateKeys(string value, List<CredentialMatch> matches)
    {
        for (int at = value.IndexOf("LS0tLS1CRUdJTi", StringComparison.Ordinal); at >= 0; at = value.IndexOf("LS0tLS1CRUdJTi", at + 1, StringComparison.Ordinal))
        {
            int end = at;
            while (end < value.Length && (char.IsAsciiLetterOrDigit(value[end]) || value[end] is '+' or '/' or '='))
            {
                end++;
            }

            int length = (end - at) / 4 * 4;
            byte[] decoded = new byte[length];
            if (length >= 40 && Convert.TryFromBase64Chars(value.AsSpan(at, length), decoded, out int written)
                && decoded.AsSpan(0, Math.Min(written, 64)).IndexOf("PRIVATE KEY"u8) >= 0 && !Overlaps(matches, at))
            {
                matches.Add(new CredentialMatch(PrivateKey, at, end - at) { Confidence = CredentialConfidence.High });
            }
        }
    }

    private static bool DecodesToUserAndPassword(ReadOnlySpan<char> base64)
    {
        Span<byte> decoded = stackalloc byte[base64.Length];
        if (!Convert.TryFromBase64Chars(base64, decoded, out int written) || written < 3)
        {
            return false;
        }

        int colon = decoded[..written].IndexOf((byte)':');
        return colon > 0 && colon < written - 1 && decoded[..written].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0;
    }

    /// <summary>
    /// The verdict on a value stored under a named key (an env var, a ConfigMap key, an XML setting's
    /// key attribute): a well-known default password, a literal credential, or nothing when the key
    /// is not credential-named, names a setting, or the value is a reference, setting, name, code,
    /// template or placeholder.
    /// </summary>
    private static string? CredentialNamedValue(string key, string value)
    {
        if (!CredentialKeyName().IsMatch(key) || ValueShape.IsSettingKey(key))
        {
            return null;
        }

        if (ValueShape.IsWeakDefault(value))
        {
            return WeakDefaultPassword;
        }

        return value.Length < 4 || IsReferenceValue(value) || IsPlaceholder(value) || IsSetting(value) || (value.Length >= 8 && FormatScanner.IsPlaceholder(value))
            || ImitatesAFormat(value) || ValueShape.IsNotASecret(value)
            ? null
            : CredentialKey;
    }

    /// <summary>A value that starts like a known token but failed that format's checks (xoxb-12345-abcd234) is a placeholder.</summary>
    private static bool ImitatesAFormat(string value) =>
        TokenFormats.All.Any(f => f.Prefixes.Any(p => p.Length >= 3 && value.StartsWith(p, StringComparison.Ordinal)));

    private static bool HoldsPublicKeys(string value) =>
        value.Contains("ssh-ed25519 AAAA", StringComparison.Ordinal) || value.Contains("ssh-rsa AAAA", StringComparison.Ordinal) || value.Contains("ecdsa-sha2-", StringComparison.Ordinal)
        || value.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal) || value.Contains("-----BEGIN RSA PUBLIC KEY-----", StringComparison.Ordinal)
        || value.Contains("\"kty\"", StringComparison.Ordinal);

    private bool LooksRandom(ReadOnlySpan<char> token)
    {
        // Random keys mix character classes; identifiers, words and paths rarely do.
        bool upper = false, lower = false, digit = false;
        foreach (char c in token)
        {
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            digit |= char.IsAsciiDigit(c);
        }

        // Hex alone is a digest (checksums, commits, trace ids, ETags) far more often than a key:
        // hex keys are found through their key's name, not their randomness.
        if (IsHex(token) || !(upper && lower && digit))
        {
            return false;
        }

        return Entropy(token) >= EntropyThreshold;
    }

    private static bool IsHex(ReadOnlySpan<char> token)
    {
        foreach (char c in token)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public static double Entropy(ReadOnlySpan<char> token)
    {
        Span<int> counts = stackalloc int[128];
        int total = 0;
        foreach (char c in token)
        {
            if (c < 128)
            {
                counts[c]++;
                total++;
            }
        }

        double entropy = 0;
        foreach (int count in counts)
        {
            if (count > 0)
            {
                double p = (double)count / total;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }

    private static bool IsBenignToken(string value, int start, ReadOnlySpan<char> token)
    {
        // Image and content digests, UUIDs, and tokens inside URLs' paths are identifiers, not secrets.
        string before = value[Math.Max(0, start - 7)..start];
        return token.StartsWith("pk_live_", StringComparison.Ordinal) || token.StartsWith("pk_test_", StringComparison.Ordinal) // publishable by design
            || token.StartsWith("sha512-", StringComparison.Ordinal) || token.StartsWith("sha384-", StringComparison.Ordinal) // subresource integrity
            || ValueShape.IsBase64OfText(token)
            || before.EndsWith("sha256:", StringComparison.Ordinal) || before.EndsWith("sha512:", StringComparison.Ordinal) || before.EndsWith("sha1:", StringComparison.Ordinal)
            || Uuid().IsMatch(token.ToString())
            || (start > 0 && value[start - 1] == '/' && value.LastIndexOf("://", start, StringComparison.Ordinal) >= 0 && !value.AsSpan(start).Contains('@'));
    }

    /// <summary>
    /// The URL around a "://" when its userinfo holds a password (scheme://user:password@host), by
    /// hand: a regex tried at every position of every URL in hundreds of megabytes is far too slow.
    /// </summary>
    private static (int Start, int Length)? UrlWithPassword(string value, int at)
    {
        int start = at;
        while (start > 0 && at - start < 20 && (char.IsAsciiLetterLower(value[start - 1]) || char.IsAsciiDigit(value[start - 1]) || value[start - 1] is '+' or '.' or '-'))
        {
            start--;
        }

        if (at - start < 2 || !char.IsAsciiLetterLower(value[start]))
        {
            return null;
        }

        int colon = -1;
        for (int i = at + 3; i < value.Length && i - at < 520; i++)
        {
            char c = value[i];
            if (c == '@')
            {
                // redis://:password@host has an empty user and still a password.
                if (colon < 0 || i == colon + 1)
                {
                    return null;
                }

                string password = value[(colon + 1)..i];
                return IsReferenceValue(password) ? null : (start, i + 1 - start);
            }

            if (char.IsWhiteSpace(c) || c is '/' or '\'' or '"')
            {
                return null;
            }

            if (c == ':' && colon < 0)
            {
                colon = i;
            }
        }

        return null;
    }

    private static readonly string[] CredentialWords = { "pass", "pwd", "secret", "token", "key", "auth", "cred" };

    internal static bool HasCredentialWord(ReadOnlySpan<char> value)
    {
        foreach (string word in CredentialWords)
        {
            if (value.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Overlaps(List<CredentialMatch> matches, int index) => matches.Any(m => index >= m.Index && index < m.Index + m.Length);

    /// <summary>Keys whose values are references by convention (<c>*_FILE</c>, <c>*File</c>, <c>*_PATH</c>).</summary>
    public static bool IsReferenceKey(string key) =>
        key.EndsWith("_FILE", StringComparison.OrdinalIgnoreCase) || key.EndsWith("File", StringComparison.Ordinal) || key.EndsWith("_PATH", StringComparison.OrdinalIgnoreCase)
        || key.EndsWith("Ref", StringComparison.Ordinal) || key.EndsWith("_REF", StringComparison.OrdinalIgnoreCase) || key.EndsWith("_NAME", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("vault.hashicorp.com/", StringComparison.Ordinal); // Vault agent annotations name secrets in Vault, they hold none

    /// <summary>Values that point at a credential instead of holding one.</summary>
    public static bool IsReferenceValue(string value)
    {
        // A span, not a trimmed copy: this runs on every value, and values can be whole files.
        ReadOnlySpan<char> v = value.AsSpan().Trim().Trim("\"'");
        // A path is a reference; ".npmrc" lines (//registry.npmjs.org/:_authToken=...) start with "//" and hold one.
        return v.Length == 0 || (v.StartsWith("/") && !v.StartsWith("//")) || v.StartsWith("./") || v.StartsWith("~/")
            || v.StartsWith("$(") || v.StartsWith("${") || IsVariable(v)
            || v.StartsWith("{{") || v.StartsWith("%") || v.StartsWith("secretKeyRef")
            || v.StartsWith("vault:") || v.StartsWith("ref+") || v.StartsWith("arn:aws:secretsmanager")
            || v.StartsWith("file:") || v.StartsWith("env:")
            || (v.StartsWith("-----BEGIN CERTIFICATE-----") && !v.Contains("PRIVATE KEY", StringComparison.Ordinal))
            || v.StartsWith(RedactedValue.Prefix);
    }

    // Numbers, durations and plain URLs under credential-named keys are settings (TOKEN_TTL=3600,
    // token-audience=https://...), not credentials.
    private static bool IsSetting(string v) =>
        v.All(char.IsAsciiDigit) || DurationOrSize().IsMatch(v) || (v.Contains("://", StringComparison.Ordinal) && !v.Contains('@', StringComparison.Ordinal));

    // $VAR: an environment variable, not a password that happens to start with '$'.
    private static bool IsVariable(ReadOnlySpan<char> v)
    {
        if (v.Length <= 1 || v[0] != '$' || !(char.IsAsciiLetterUpper(v[1]) || v[1] == '_'))
        {
            return false;
        }

        foreach (char c in v[1..])
        {
            if (!(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPlaceholder(string value)
    {
        string v = value.Trim().Trim('"', '\'');
        return v.Length == 0 || v.All(c => c == '*' || c == 'x' || c == 'X') || (v.StartsWith('<') && v.EndsWith('>'))
            || v is "null" or "none" or "None" or "true" or "false" or "required" or "optional" or "REDACTED" or "redacted" or "example" or "EXAMPLE";
    }

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-[23]: ", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKeyPattern();

    // Every AWS key-id prefix: access keys (AKIA, ASIA), and the ids of groups, users, roles, policies, certificates and instance profiles.
    [GeneratedRegex(@"(?<aws>\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|APKA|ASCA)[A-Z0-9]{16}\b)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex AwsPattern();

    [GeneratedRegex(@"""private_key_id""\s*:\s*""(?<id>[0-9a-f]{40})""", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex GcpServiceAccount();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex JwtPattern();


    // Anchored on the credential word itself, so the engine does not try every word start.
    // [ \t]* rather than \s*: the value is on the key's line, not the next line's key.
    [GeneratedRegex(@"(?<key>(?:password|passwd|pwd|secret|token|api[_\-.]?key|access[_\-.]?key|auth[_\-.]?key)[a-z0-9_.\-]*)[""']?[ \t]*(?:=|:|=>)[ \t]*[""']?(?<value>[^\s""',;}{]{4,256})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"(?:^|[_\-.])(?:pass(?:word|wd)?|pwd|secret|token|api[_\-.]?key|apikey|access[_\-.]?key|private[_\-.]?key|credentials?|auth)(?:$|[_\-.])|password|secret|token|apikey", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialKeyName();

    [GeneratedRegex(@"<add\s+key=""(?<key>[^""]{1,100})""\s+value=""(?<value>[^""]{0,512})""", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex XmlAddElement();

    [GeneratedRegex(@"^\d+(?:\.\d+)?(?:ms|s|m|h|d|Ki|Mi|Gi|k|K|M|G)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationOrSize();

    [GeneratedRegex(@"^[A-Za-z0-9/+=]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex AwsSecretShape();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid();
}
