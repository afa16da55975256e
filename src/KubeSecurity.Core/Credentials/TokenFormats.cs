using KubeSecurity.Model;

namespace KubeSecurity.Core.Credentials;

/// <summary>
/// One credential format as its issuer defines it: a literal prefix, the characters and length of
/// what follows, and where one exists a check (a checksum, a fixed separator). Formats are found by
/// searching for the prefix as a literal, so adding formats adds substring searches, not regexes.
/// </summary>
internal sealed record TokenFormat(string Detector, string Family, string Description, string[] Prefixes, int MinBody, int MaxBody, Func<char, bool> BodyChar, CredentialConfidence Confidence)
{
    /// <summary>Checks the whole token (prefix included) beyond its shape; null when the shape is all there is.</summary>
    public Func<string, bool>? Validate { get; init; }

    /// <summary>Whether Validate is a checksum: a token that passes it is not a placeholder, whatever its characters.</summary>
    public bool HasChecksum { get; init; }

    /// <summary>Whether the prefix must not follow a letter, digit or '_' (true for prefixes that are words of their own).</summary>
    public bool WordStart { get; init; } = true;

    /// <summary>Whether the prefix is matched ignoring case (host names in webhook URLs).</summary>
    public bool IgnoreCase { get; init; }
}

/// <summary>The catalogue of credential formats the detector knows by prefix, with their checks.</summary>
internal static class TokenFormats
{
    private static bool Base62(char c) => char.IsAsciiLetterOrDigit(c);

    private static bool Base64Url(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static bool Base64(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=';

    private static bool LowerHex(char c) => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f';

    private static bool Hex(char c) => char.IsAsciiHexDigit(c);

    private static bool Letters(char c) => char.IsAsciiLetter(c);

    private static bool UpperAlnum(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c);

    private static bool LowerAlnum(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c);

    private static bool Bech32Upper(char c) => "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L".Contains(c, StringComparison.Ordinal);

    private static bool UrlPath(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '@' or '.' or '%';

    public static IReadOnlyList<TokenFormat> All { get; } = new TokenFormat[]
    {
        // Source hosting and CI
        new(CredentialDetector.GitHubToken, "GitHub", "a GitHub token", new[] { "ghp_", "gho_", "ghu_", "ghs_", "ghr_" }, 36, 36, Base62, CredentialConfidence.High) { Validate = Base62Checksum.IsValid, HasChecksum = true },
        new(CredentialDetector.GitHubToken, "GitHub", "a GitHub fine-grained token", new[] { "github_pat_" }, 82, 82, c => Base62(c) || c == '_', CredentialConfidence.High) { Validate = t => t[33] == '_' },
        new(CredentialDetector.GitLabToken, "GitLab", "a GitLab token", new[] { "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "gloas-", "glsoat-", "glffct-" }, 20, 80, Base64Url, CredentialConfidence.High),
        new(CredentialDetector.GitLabToken, "GitLab", "a GitLab runner registration token", new[] { "GR1348941" }, 20, 20, Base64Url, CredentialConfidence.High),
        new("BitbucketToken", "Bitbucket", "an Atlassian/Bitbucket token", new[] { "ATBB", "ATATT3" }, 28, 250, c => Base64Url(c) || c is '=' or '.', CredentialConfidence.Medium),
        new("NpmToken", "npm", "an npm access token", new[] { "npm_" }, 36, 36, Base62, CredentialConfidence.High) { Validate = Base62Checksum.IsValid, HasChecksum = true },
        new("PyPiToken", "PyPI", "a PyPI upload token", new[] { "pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw" }, 50, 400, Base64Url, CredentialConfidence.High),
        new("NuGetApiKey", "NuGet", "a NuGet API key", new[] { "oy2" }, 43, 43, LowerAlnum, CredentialConfidence.Medium),
        new("RubyGemsKey", "RubyGems", "a RubyGems API key", new[] { "rubygems_" }, 48, 48, LowerHex, CredentialConfidence.High),
        new("DockerHubToken", "DockerHub", "a Docker Hub access token", new[] { "dckr_pat_", "dckr_oat_" }, 27, 80, Base64Url, CredentialConfidence.High),
        new("TerraformToken", "Terraform", "a Terraform Cloud token", new[] { ".atlasv1." }, 60, 90, Base64Url, CredentialConfidence.High) { WordStart = false },

        // Payment
        new("StripeKey", "Stripe", "a Stripe secret or restricted key", new[] { "sk_live_", "sk_test_", "rk_live_", "rk_test_" }, 24, 247, Base62, CredentialConfidence.High),
        new("SquareToken", "Square", "a Square access token or secret", new[] { "sq0atp-", "sq0csp-", "EAAAE", "EAAAl" }, 22, 64, Base64Url, CredentialConfidence.Medium),
        new("BraintreeToken", "PayPal", "a PayPal Braintree access token", new[] { "access_token$production$", "access_token$sandbox$" }, 49, 49, c => LowerAlnum(c) || c == '$', CredentialConfidence.High) { WordStart = false },

        // Chat and webhooks
        new(CredentialDetector.SlackToken, "Slack", "a Slack token", new[] { "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xoxe.xoxp-", "xapp-" }, 30, 250, c => Base62(c) || c == '-', CredentialConfidence.High),
        new(CredentialDetector.SlackToken, "Slack", "a Slack webhook", new[] { "hooks.slack.com/services/", "hooks.slack.com/workflows/", "hooks.slack.com/triggers/" }, 30, 200, c => Base62(c) || c is '/' or '_' or '-', CredentialConfidence.High) { WordStart = false, IgnoreCase = true },
        new("TeamsWebhook", "Teams", "a Microsoft Teams webhook", new[] { ".webhook.office.com/webhookb2/", "outlook.office.com/webhook/", ".logic.azure.com:443/workflows/" }, 40, 400, UrlPath, CredentialConfidence.High) { WordStart = false, IgnoreCase = true },
        new("DiscordWebhook", "Discord", "a Discord webhook", new[] { "discord.com/api/webhooks/", "discordapp.com/api/webhooks/" }, 60, 100, c => Base64Url(c) || c == '/', CredentialConfidence.High) { WordStart = false, IgnoreCase = true },

        // Email and SMS
        new("SendGridKey", "SendGrid", "a SendGrid API key", new[] { "SG." }, 66, 66, c => Base64Url(c) || c == '.', CredentialConfidence.High) { Validate = t => t[25] == '.' },
        new("TwilioKey", "Twilio", "a Twilio API key", new[] { "SK" }, 32, 32, LowerHex, CredentialConfidence.Medium),
        new("MailgunKey", "Mailgun", "a Mailgun API key", new[] { "key-" }, 32, 32, LowerHex, CredentialConfidence.Medium),

        // Cloud and hosting
        new("GcpApiKey", "GCP", "a Google API key", new[] { "AIza" }, 35, 35, Base64Url, CredentialConfidence.High),
        new("AlibabaAccessKey", "Alibaba", "an Alibaba Cloud access key id", new[] { "LTAI" }, 12, 20, Base62, CredentialConfidence.Medium),
        new("HerokuApiKey", "Heroku", "a Heroku API key", new[] { "HRKU-AA" }, 58, 58, Base64Url, CredentialConfidence.High),
        new("DigitalOceanToken", "DigitalOcean", "a DigitalOcean token", new[] { "dop_v1_", "doo_v1_", "dor_v1_" }, 64, 64, LowerHex, CredentialConfidence.High),
        new("ShopifyToken", "Shopify", "a Shopify access token or secret", new[] { "shpat_", "shpca_", "shppa_", "shpss_" }, 32, 32, Hex, CredentialConfidence.High),
        new("AzureStorageKey", "Azure", "an Azure storage or service bus key", new[] { "AccountKey=", "SharedAccessKey=" }, 43, 88, Base64, CredentialConfidence.High) { WordStart = false },
        new("AzureSasSignature", "Azure", "an Azure SAS signature", new[] { "&sig=", "?sig=" }, 40, 120, c => Base64(c) || c == '%', CredentialConfidence.Medium) { WordStart = false },

        // Observability
        new("NewRelicKey", "NewRelic", "a New Relic user API key", new[] { "NRAK-" }, 27, 27, UpperAlnum, CredentialConfidence.High),
        new("SentryToken", "Sentry", "a Sentry auth token", new[] { "sntrys_", "sntryu_" }, 64, 300, c => Base64(c) || c == '_', CredentialConfidence.High),
        new("GrafanaToken", "Grafana", "a Grafana token", new[] { "glc_", "glsa_" }, 32, 200, c => Base64(c) || c == '_', CredentialConfidence.High),

        // AI providers
        new("HuggingFaceToken", "HuggingFace", "a Hugging Face token", new[] { "hf_" }, 34, 34, Letters, CredentialConfidence.High),
        new("OpenAiKey", "OpenAI", "an OpenAI API key", new[] { "sk-proj-", "sk-svcacct-", "sk-admin-" }, 40, 300, Base64Url, CredentialConfidence.High),
        new("OpenAiKey", "OpenAI", "an OpenAI API key", new[] { "sk-" }, 48, 48, Base62, CredentialConfidence.High) { Validate = t => t.Contains("T3BlbkFJ", StringComparison.Ordinal) },
        new("AnthropicKey", "Anthropic", "an Anthropic API key", new[] { "sk-ant-api03-", "sk-ant-admin01-" }, 80, 120, Base64Url, CredentialConfidence.High),

        // Keys
        new("AgeSecretKey", "PrivateKey", "an age secret key", new[] { "AGE-SECRET-KEY-1" }, 58, 58, Bech32Upper, CredentialConfidence.High),
        new("PostmanKey", "Postman", "a Postman API key", new[] { "PMAK-" }, 59, 59, c => LowerHex(c) || c == '-', CredentialConfidence.High),
    };

    /// <summary>The families the catalogue covers, for the corpus test and documentation.</summary>
    public static IEnumerable<string> Families => All.Select(f => f.Family).Distinct(StringComparer.Ordinal);
}

/// <summary>
/// The checksum of GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm tokens: the last six characters
/// are the CRC-32 of the thirty before them, written in base 62 (0-9, A-Z, a-z), zero-padded.
/// A token with the right shape and a wrong checksum is a placeholder or a typo, not a credential.
/// </summary>
internal static class Base62Checksum
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly uint[] Table = BuildTable();

    public static bool IsValid(string token)
    {
        int underscore = token.IndexOf('_', StringComparison.Ordinal);
        if (underscore < 0 || token.Length - underscore - 1 != 36)
        {
            return false;
        }

        ReadOnlySpan<char> random = token.AsSpan(underscore + 1, 30);
        ReadOnlySpan<char> check = token.AsSpan(underscore + 31, 6);
        return Encode(Crc32(random)).AsSpan().SequenceEqual(check);
    }

    public static string Encode(uint value)
    {
        Span<char> digits = stackalloc char[6];
        for (int i = 5; i >= 0; i--)
        {
            digits[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return new string(digits);
    }

    public static uint Crc32(ReadOnlySpan<char> ascii)
    {
        uint crc = 0xFFFFFFFF;
        foreach (char c in ascii)
        {
            crc = Table[(crc ^ (byte)c) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
