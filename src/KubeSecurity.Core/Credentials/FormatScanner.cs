namespace KubeSecurity.Core.Credentials;

/// <summary>
/// Finds the catalogue's formats in a value: each prefix is searched as a literal (so the cost grows
/// with the number of prefixes, not with regex backtracking), then the body's characters and
/// length, the boundaries and any checksum are checked, and placeholders are dropped.
/// </summary>
internal static class FormatScanner
{
    public static void Scan(string value, List<CredentialMatch> matches)
    {
        foreach (TokenFormat format in TokenFormats.All)
        {
            StringComparison comparison = format.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            foreach (string prefix in format.Prefixes)
            {
                for (int at = value.IndexOf(prefix, comparison); at >= 0; at = value.IndexOf(prefix, at + 1, comparison))
                {
                    if (format.WordStart && at > 0 && IsWordChar(value[at - 1]))
                    {
                        continue;
                    }

                    int bodyStart = at + prefix.Length;
                    int end = bodyStart;
                    while (end < value.Length && end - bodyStart <= format.MaxBody && format.BodyChar(value[end]))
                    {
                        end++;
                    }

                    int length = end - bodyStart;
                    if (length < format.MinBody || length > format.MaxBody)
                    {
                        continue;
                    }

                    string token = value[at..end];
                    if ((format.Validate is { } validate && !validate(token)) || (!format.HasChecksum && IsPlaceholder(value.AsSpan(bodyStart, length))) || Overlaps(matches, at))
                    {
                        continue;
                    }

                    matches.Add(new CredentialMatch(format.Detector, at, end - at) { Confidence = format.Confidence });
                }
            }
        }

        Mailchimp(value, matches);
        Telegram(value, matches);
        AzureAdClientSecret(value, matches);
    }

    /// <summary>A letter, digit, '_', '-' or '.' before a prefix makes it part of another word (cache-key-..., my.sk_live_...).</summary>
    public static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    /// <summary>
    /// Bodies that only look like a token: few distinct characters, long runs of one character,
    /// X-runs and EXAMPLE markers, counting sequences. Formats with a checksum do not need this.
    /// </summary>
    public static bool IsPlaceholder(ReadOnlySpan<char> body)
    {
        if (body.Contains("XXXX", StringComparison.OrdinalIgnoreCase) || body.Contains("EXAMPLE", StringComparison.OrdinalIgnoreCase)
            || body.Contains("0123456789", StringComparison.Ordinal) || body.Contains("abcdefgh", StringComparison.OrdinalIgnoreCase)
            || body.Contains("123456789", StringComparison.Ordinal))
        {
            return true;
        }

        Span<bool> seen = stackalloc bool[128];
        int distinct = 0, run = 1, longest = 1;
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c < 128 && !seen[c])
            {
                seen[c] = true;
                distinct++;
            }

            run = i > 0 && body[i - 1] == c ? run + 1 : 1;
            longest = Math.Max(longest, run);
        }

        return distinct < Math.Min(8, (body.Length / 3) + 1) || longest >= 6;
    }

    private static bool Overlaps(List<CredentialMatch> matches, int index) => matches.Any(m => index >= m.Index && index < m.Index + m.Length);

    // 32 lowercase hex, "-us", one or two digits: the data centre is part of a Mailchimp key.
    private static void Mailchimp(string value, List<CredentialMatch> matches)
    {
        for (int at = value.IndexOf("-us", StringComparison.Ordinal); at >= 0; at = value.IndexOf("-us", at + 1, StringComparison.Ordinal))
        {
            int start = at - 32;
            if (start < 0 || (start > 0 && IsWordChar(value[start - 1])) || !All(value.AsSpan(start, 32), c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            {
                continue;
            }

            int end = at + 3;
            while (end < value.Length && end - at < 5 && char.IsAsciiDigit(value[end]))
            {
                end++;
            }

            if (end > at + 3 && (end == value.Length || !char.IsAsciiLetterOrDigit(value[end])) && !IsPlaceholder(value.AsSpan(start, 32)) && !Overlaps(matches, start))
            {
                matches.Add(new CredentialMatch("MailchimpKey", start, end - start) { Confidence = CredentialConfidence.High });
            }
        }
    }

    // A Telegram bot token: the bot's numeric id, ':', then 35 characters that start with "AA".
    private static void Telegram(string value, List<CredentialMatch> matches)
    {
        for (int at = value.IndexOf(":AA", StringComparison.Ordinal); at >= 0; at = value.IndexOf(":AA", at + 1, StringComparison.Ordinal))
        {
            int start = at;
            while (start > 0 && at - start < 11 && char.IsAsciiDigit(value[start - 1]))
            {
                start--;
            }

            int digits = at - start;
            int end = at + 1;
            while (end < value.Length && end - at <= 36 && (char.IsAsciiLetterOrDigit(value[end]) || value[end] is '-' or '_'))
            {
                end++;
            }

            if (digits is >= 8 and <= 10 && end - at - 1 == 35 && (start == 0 || !IsWordChar(value[start - 1])) && !IsPlaceholder(value.AsSpan(at + 1, 35)) && !Overlaps(matches, start))
            {
                matches.Add(new CredentialMatch("TelegramBotToken", start, end - start) { Confidence = CredentialConfidence.High });
            }
        }
    }

    // An Entra ID (Azure AD) client secret: three characters, a digit, "Q~", then 31 to 34 characters.
    private static void AzureAdClientSecret(string value, List<CredentialMatch> matches)
    {
        static bool SecretChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '~' or '.' or '-';
        for (int at = value.IndexOf("Q~", StringComparison.Ordinal); at >= 0; at = value.IndexOf("Q~", at + 1, StringComparison.Ordinal))
        {
            int start = at - 4;
            if (start < 0 || !char.IsAsciiDigit(value[at - 1]) || !All(value.AsSpan(start, 3), SecretChar) || (start > 0 && SecretChar(value[start - 1])))
            {
                continue;
            }

            int end = at + 2;
            while (end < value.Length && end - at - 2 <= 34 && SecretChar(value[end]))
            {
                end++;
            }

            int body = end - at - 2;
            if (body is >= 31 and <= 34 && !IsPlaceholder(value.AsSpan(at + 2, body)) && !Overlaps(matches, start))
            {
                matches.Add(new CredentialMatch("AzureAdClientSecret", start, end - start) { Confidence = CredentialConfidence.High });
            }
        }
    }

    private static bool All(ReadOnlySpan<char> span, Func<char, bool> predicate)
    {
        foreach (char c in span)
        {
            if (!predicate(c))
            {
                return false;
            }
        }

        return true;
    }
}
