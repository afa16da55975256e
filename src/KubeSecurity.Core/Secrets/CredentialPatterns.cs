using System.Text.RegularExpressions;

namespace KubeSecurity.Core.Secrets;

/// <summary>
/// Recognises values that are credentials (as opposed to references to them). Used to redact
/// ConfigMap values in saved snapshots; the leak scanner builds on the same patterns.
/// </summary>
public static partial class CredentialPatterns
{
    /// <summary>True when the value, under this key, looks like a credential rather than a reference to one.</summary>
    public static bool LooksLikeCredential(string key, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || IsReference(key, value))
        {
            return false;
        }

        if (KnownCredential().IsMatch(value))
        {
            return true;
        }

        // A credential-named key with a short single-line value is the classic "password: hunter2".
        return CredentialKey().IsMatch(key) && value.Length >= 4 && !value.Contains('\n', StringComparison.Ordinal);
    }

    /// <summary>File paths, environment variable references, *_FILE settings and public certificates are not credentials.</summary>
    public static bool IsReference(string key, string value)
    {
        string trimmed = value.Trim();
        return key.EndsWith("_FILE", StringComparison.OrdinalIgnoreCase)
            || key.EndsWith("File", StringComparison.Ordinal)
            || trimmed.StartsWith('/')
            || trimmed.StartsWith("$(", StringComparison.Ordinal)
            || trimmed.StartsWith("${", StringComparison.Ordinal)
            || (trimmed.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) && !trimmed.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----|\b(AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36}\b|\bglpat-[A-Za-z0-9_\-]{20}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}|[a-z][a-z0-9+.\-]*://[^\s:/@]+:[^\s@/]+@|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}", RegexOptions.CultureInvariant)]
    private static partial Regex KnownCredential();

    [GeneratedRegex(@"pass(word|wd)?|pwd|secret|token|api[_\-.]?key|access[_\-.]?key|private[_\-.]?key|credential", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialKey();
}
