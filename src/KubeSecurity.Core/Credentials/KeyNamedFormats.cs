using KubeSecurity.Model;

namespace KubeSecurity.Core.Credentials;

/// <summary>
/// Credentials whose value has no prefix of its own (a Datadog key is 32 hex digits, a legacy
/// Heroku key a UUID): they are recognised by the vendor named in the key (or in the file that
/// holds the line) together with the value's exact shape. Hex digests and UUIDs under any other
/// key stay identifiers.
/// </summary>
internal static class KeyNamedFormats
{
    private sealed record KeyNamedFormat(string Detector, string Description, Func<string, bool> NamesVendor, Func<string, bool> NamesKind, int Length, Func<string, bool> Shape);

    private static bool Hex(string v) => v.All(char.IsAsciiHexDigit);

    private static bool Uuid(string v) =>
        v.Length == 36 && v[8] == '-' && v[13] == '-' && v[18] == '-' && v[23] == '-' && v.Where(c => c != '-').All(char.IsAsciiHexDigit);

    private static bool Datadog(string key) =>
        key.Contains("datadog", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DD_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("dd.", StringComparison.OrdinalIgnoreCase)
        || key.Contains("_DD_", StringComparison.OrdinalIgnoreCase);

    private static bool Contains(string key, string word) => key.Contains(word, StringComparison.OrdinalIgnoreCase);

    // DD_API_KEY, datadog.apiKey, dd-app-key: the words of the key without separators, so that
    // DD_APP_VERSION (a commit) is not taken for DD_APP_KEY.
    private static bool NamesWords(string key, string words)
    {
        Span<char> letters = stackalloc char[Math.Min(key.Length, 128)];
        int n = 0;
        foreach (char c in key.AsSpan(0, letters.Length))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                letters[n++] = char.ToLowerInvariant(c);
            }
        }

        return letters[..n].IndexOf(words, StringComparison.Ordinal) >= 0;
    }

    private static readonly KeyNamedFormat[] Formats =
    {
        new("DatadogApiKey", "a Datadog API key", Datadog, k => NamesWords(k, "apikey"), 32, Hex),
        new("DatadogAppKey", "a Datadog application key", Datadog, k => NamesWords(k, "appkey") || NamesWords(k, "applicationkey"), 40, Hex),
        new("HerokuApiKey", "a Heroku API key", k => Contains(k, "heroku"), k => NamesWords(k, "apikey") || NamesWords(k, "token") || NamesWords(k, "authkey"), 36, Uuid),
    };

    /// <summary>Whether a file's key or text names a vendor whose keys are recognised by name (a cheap probe before reading its lines).</summary>
    public static bool MayApply(string fileKey, string text) =>
        Datadog(fileKey) || Contains(fileKey, "heroku") || Contains(text, "datadog") || Contains(text, "heroku") || text.Contains("DD_", StringComparison.OrdinalIgnoreCase);

    public static string? Describe(string detector) => Formats.FirstOrDefault(f => f.Detector == detector)?.Description;

    /// <summary>The detector a value matches by its key (and the key of the file holding it), or null.</summary>
    public static string? Match(string key, string fileKey, string value)
    {
        foreach (KeyNamedFormat format in Formats)
        {
            if (value.Length == format.Length && format.NamesKind(key) && (format.NamesVendor(key) || format.NamesVendor(fileKey)) && format.Shape(value)
                && !FormatScanner.IsPlaceholder(value))
            {
                return format.Detector;
            }
        }

        return null;
    }

    public const CredentialConfidence Confidence = CredentialConfidence.High;
}
