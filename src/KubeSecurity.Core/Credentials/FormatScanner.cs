using KubeSecurity.Model;
namespace KubeSecurity.Core.Credentials;

/// <summary>
/// Finds the catalogue's formats in a value: each prefix is searched as a literal (so the cost grows
/// with the number of prefixes, not with regex backtracking), then the body's characters and
/// length, the boundaries and any checksum are checked, and placeholders are dropped.
/// </summary>
internal static class FormatScanner
{
    // Prefixes are found through an anchor: their rarest punctuation character ('$' in
    // access_token$, '_' in ghp_, '-' in glpat-) with the character before it. One vectorised pass
    // finds the anchor characters in a value, and only where the pair matches is a prefix compared,
    // instead of one full search of the value per prefix.
    private const string AnchorRarity = "$~&?:_.-";

    private static readonly Dictionary<int, List<(TokenFormat Format, string Prefix, int Anchor)>> ByAnchor = new();
    private static readonly List<(TokenFormat Format, string Prefix)> Unanchored = new();
    private static readonly System.Buffers.SearchValues<char> Anchors;

    private static int Key(char before, char anchor) => (char.ToLowerInvariant(before) << 16) | anchor;

    static FormatScanner()
    {
        var anchorChars = new HashSet<char>();
        foreach (TokenFormat format in TokenFormats.All)
        {
            foreach (string prefix in format.Prefixes)
            {
                int anchor = -1;
                foreach (char candidate in AnchorRarity)
                {
                    int at = prefix.LastIndexOf(candidate);
                    if (at > 0)
                    {
                        anchor = at;
                        break;
                    }
                }

                if (anchor < 0)
                {
                    Unanchored.Add((format, prefix));
                    continue;
                }

                int key = Key(prefix[anchor - 1], prefix[anchor]);
                if (!ByAnchor.TryGetValue(key, out var list))
                {
                    ByAnchor[key] = list = new();
                }

                list.Add((format, prefix, anchor));
                anchorChars.Add(prefix[anchor]);
            }
        }

        Anchors = System.Buffers.SearchValues.Create(new string(anchorChars.ToArray()));
    }

    public static void Scan(string value, List<CredentialMatch> matches)
    {
        ReadOnlySpan<char> span = value.AsSpan();
        int offset = 0;
        for (int hit = span.IndexOfAny(Anchors); hit >= 0; hit = span[offset..].IndexOfAny(Anchors))
        {
            int i = offset + hit;
            offset = i + 1;
            if (i == 0 || !ByAnchor.TryGetValue(Key(value[i - 1], value[i]), out var candidates))
            {
                continue;
            }

            foreach ((TokenFormat format, string prefix, int anchor) in candidates)
            {
                int at = i - anchor;
                if (at >= 0 && at + prefix.Length <= value.Length
                    && span.Slice(at, prefix.Length).Equals(prefix, format.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                {
                    TryMatch(value, format, prefix, at, matches);
                }
            }
        }

        foreach ((TokenFormat format, string prefix) in Unanchored)
        {
            StringComparison comparison = format.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            for (int at = value.IndexOf(prefix, comparison); at >= 0; at = value.IndexOf(prefix, at + 1, comparison))
            {
                TryMatch(value, format, prefix, at, matches);
            }
        }

        if (value.Contains("-us", StringComparison.Ordinal))
        {
            Mailchimp(value, matches);
        }

        if (value.Contains(":AA", StringComparison.Ordinal))
        {
            Telegram(value, matches);
        }

        if (value.Contains("Q~", StringComparison.Ordinal))
        {
            AzureAdClientSecret(value, matches);
        }
    }

    private static void TryMatch(string value, TokenFormat format, string prefix, int at, List<CredentialMatch> matches)
    {
        if (format.WordStart && at > 0 && IsWordChar(value[at - 1]))
        {
            return;
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
            return;
        }

        if ((format.Validate is { } validate && !validate(value[at..end])) || (!format.HasChecksum && IsPlaceholder(value.AsSpan(bodyStart, length))) || Overlaps(matches, at))
        {
            return;
        }

        matches.Add(new CredentialMatch(format.Detector, at, end - at) { Confidence = format.Confidence });
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
