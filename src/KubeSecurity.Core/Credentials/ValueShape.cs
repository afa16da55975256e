namespace KubeSecurity.Core.Credentials;

/// <summary>
/// What a value under a credential-named key is when it is not a secret: the name of a variable,
/// a Secret or a key (API_TOKEN, postgres-auth, redis-password), a setting (bcrypt, enabled,
/// Authorization), code that fetches one (get_from_env(), process.env.GITHUB_TOKEN), or a template.
/// A credential-named key is evidence only when its value is none of these.
/// </summary>
internal static class ValueShape
{
    // Last words of keys that name a setting about a credential rather than the credential.
    private static readonly HashSet<string> SettingWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "header", "algorithm", "algo", "store", "rotation", "enabled", "disabled", "enable", "length", "ttl", "expiry", "expiration", "expires",
        "type", "mode", "policy", "provider", "backend", "format", "version", "issuer", "audience", "endpoint", "duration", "interval", "timeout",
        "count", "size", "min", "max", "strength", "prefix", "scheme", "method", "source", "location", "env",
    };

    /// <summary>Common default passwords: flagged as such, whatever their shape.</summary>
    private static readonly HashSet<string> WeakDefaults = new(StringComparer.OrdinalIgnoreCase)
    {
        "changeme", "change-me", "changeit", "password", "passw0rd", "p@ssw0rd", "admin", "administrator", "secret", "letmein", "default", "welcome",
        "123456", "12345678", "qwerty", "root", "toor", "guest", "test", "test123", "admin123", "password1", "Password1", "Password123",
    };

    private static readonly System.Buffers.SearchValues<char> KeySeparators = System.Buffers.SearchValues.Create("_.-");

    public static bool IsWeakDefault(string value) => WeakDefaults.Contains(value.Trim('"', '\''));

    /// <summary>Whether the key's last word says the value is a setting (TOKEN_HEADER, PASSWORD_HASH_ALGORITHM, secret.rotation).</summary>
    public static bool IsSettingKey(string key)
    {
        int cut = Math.Max(key.AsSpan().LastIndexOfAny(KeySeparators), LastCamelBoundary(key) - 1);
        string last = cut >= 0 && cut < key.Length - 1 ? key[(cut + 1)..] : key;
        return SettingWords.Contains(last);
    }

    private static int LastCamelBoundary(string key)
    {
        for (int i = key.Length - 1; i > 0; i--)
        {
            if (char.IsAsciiLetterUpper(key[i]) && char.IsAsciiLetterLower(key[i - 1]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the value is a name, setting, code or template rather than a secret.</summary>
    public static bool IsNotASecret(string value)
    {
        string v = value.Trim().Trim('"', '\'');
        if (v.Length == 0)
        {
            return true;
        }

        // API_TOKEN, GITHUB_TOKEN: the name of a variable.
        if (char.IsAsciiLetterUpper(v[0]) && v.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_') && v.Contains('_', StringComparison.Ordinal))
        {
            return true;
        }

        // vault, bcrypt, enabled: a word (weak default passwords are caught before this).
        if (v.Length <= 12 && v.All(char.IsAsciiLetterLower))
        {
            return true;
        }

        // Authorization, X-Api-Key, Bearer: a header or scheme name.
        if (IsHeaderName(v))
        {
            return true;
        }

        // postgres-auth, redis-password, app.kubernetes.io: a Secret, key or resource name (letters and separators only).
        if (v.Length <= 63 && (v.Contains('-', StringComparison.Ordinal) || v.Contains('.', StringComparison.Ordinal)) && v.All(c => char.IsAsciiLetterLower(c) || c is '-' or '.')
            && char.IsAsciiLetterLower(v[0]) && char.IsAsciiLetterLower(v[^1]))
        {
            return true;
        }

        // secret/data/payments/config: a path in a secret store.
        if (v.Contains('/', StringComparison.Ordinal) && !v.Contains("//", StringComparison.Ordinal) && v.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '/' or '-' or '_' or '.'))
        {
            return true;
        }

        // Code that fetches a secret, and templates that will be filled in.
        return (v.Contains('(', StringComparison.Ordinal) && v.Contains(')', StringComparison.Ordinal))
            || v.StartsWith("process.env.", StringComparison.Ordinal) || v.StartsWith("os.environ", StringComparison.Ordinal) || v.StartsWith("System.getenv", StringComparison.Ordinal)
            || v.StartsWith("ENV[", StringComparison.Ordinal) || v.StartsWith("env.", StringComparison.Ordinal)
            || v.Contains("$__", StringComparison.Ordinal) || v.Contains("#{", StringComparison.Ordinal) || v.Contains("{%", StringComparison.Ordinal)
            || v.Contains("<%", StringComparison.Ordinal) || v.Contains("%(", StringComparison.Ordinal) || v.Contains("{{", StringComparison.Ordinal);
    }

    private static bool IsHeaderName(string v)
    {
        if (v.Length > 40 || !char.IsAsciiLetterUpper(v[0]))
        {
            return false;
        }

        foreach (string part in v.Split('-'))
        {
            if (part.Length == 0 || !char.IsAsciiLetterUpper(part[0]) || !part.Skip(1).All(char.IsAsciiLetterLower))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Base64 that decodes to printable text is encoded text, not a random key.</summary>
    public static bool IsBase64OfText(ReadOnlySpan<char> token)
    {
        if (token.Length < 16 || token.Length % 4 != 0)
        {
            return false;
        }

        byte[] buffer = new byte[token.Length];
        if (!Convert.TryFromBase64Chars(token, buffer, out int written) || written == 0)
        {
            return false;
        }

        int printable = 0;
        foreach (byte b in buffer.AsSpan(0, written))
        {
            if (b is >= 0x20 and < 0x7F || b is (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                printable++;
            }
        }

        return printable >= written * 0.95;
    }
}
