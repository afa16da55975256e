namespace KubeSecurity.Core.Credentials;

/// <summary>One "key = value" line of a configuration file held in a value: the key, and where its value is.</summary>
internal readonly record struct ConfigAssignment(string Key, int ValueStart, int ValueLength);

/// <summary>
/// Reads the assignments in configuration text the way the common file formats write them, one per
/// line: ini and TOML (<c>password = "…"</c>), Java properties (<c>db.pass=…</c>, <c>db.pass: …</c>),
/// env files and shell (<c>export DB_PASS='…'</c>), YAML (<c>  password: …</c>, <c>- token: …</c>),
/// JSON members on their own line (<c>"password": "…",</c>) and Go/Python/JS assignments
/// (<c>password := "…"</c>, <c>const token = '…';</c>). Comments, section headers and nested
/// blocks are skipped. The value span excludes quotes, trailing separators and inline comments.
/// </summary>
internal static class ConfigLines
{
    private static readonly System.Buffers.SearchValues<char> KeyChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/");

    private static readonly string[] DeclarationWords = { "export ", "const ", "let ", "var ", "final ", "private ", "public ", "static ", "String ", "string ", "val " };

    /// <param name="credentialKeysOnly">Only lines whose key holds a credential word (pass, secret, token, key, auth, cred): the rest are not parsed further.</param>
    public static void Read(string text, List<ConfigAssignment> into, bool credentialKeysOnly)
    {
        int lineStart = 0;
        while (lineStart < text.Length)
        {
            int newline = text.IndexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.Length : newline;
            if (Parse(text, lineStart, lineEnd, credentialKeysOnly) is ConfigAssignment assignment)
            {
                into.Add(assignment);
            }

            lineStart = lineEnd + 1;
        }
    }

    private static ConfigAssignment? Parse(string text, int start, int end, bool credentialKeysOnly)
    {
        while (start < end && (text[start] is ' ' or '\t'))
        {
            start++;
        }

        if (end > start && text[end - 1] == '\r')
        {
            end--;
        }

        if (start >= end || text[start] is '#' or ';' or '[' or '<' or '!' || text.AsSpan(start, end - start).StartsWith("//"))
        {
            return null;
        }

        if (text[start] == '-' && start + 1 < end && text[start + 1] == ' ')
        {
            start += 2; // a YAML list item that is a mapping
        }

        bool declared;
        do
        {
            declared = false;
            foreach (string word in DeclarationWords)
            {
                if (text.AsSpan(start, end - start).StartsWith(word, StringComparison.Ordinal))
                {
                    start += word.Length;
                    declared = true;
                }
            }
        }
        while (declared);

        // The separator is the first '=' or ':' outside a quoted key; ':' must end the key (YAML,
        // properties) and not be part of a URL or a time.
        int separator = -1;
        bool quotedKey = text[start] is '"' or '\'';
        char keyQuote = text[start];
        for (int i = quotedKey ? text.IndexOf(keyQuote, start + 1, end - start - 1) : start; i >= 0 && i < end; i++)
        {
            char c = text[i];
            if (c == '=' || (c == ':' && (i + 1 == end || text[i + 1] is ' ' or '\t' or '=')))
            {
                separator = i;
                break;
            }

            if (!quotedKey && (c is ' ' or '\t') && !OnlySpacesUntilSeparator(text, i, end))
            {
                return null; // words before any separator: prose, a command, not an assignment
            }
        }

        if (separator <= start)
        {
            return null;
        }

        ReadOnlySpan<char> keySpan = text.AsSpan(start, separator - start).Trim().Trim("\"'").TrimStart('-');
        if (keySpan.Length is 0 or > 100 || keySpan.IndexOfAnyExcept(KeyChars) >= 0 || (credentialKeysOnly && !CredentialDetector.HasCredentialWord(keySpan)))
        {
            return null;
        }

        string key = keySpan.ToString();

        int valueStart = separator + 1;
        if (valueStart < end && text[valueStart] is '=' or '>')
        {
            valueStart++; // := and =>
        }

        while (valueStart < end && (text[valueStart] is ' ' or '\t'))
        {
            valueStart++;
        }

        if (valueStart >= end)
        {
            return null;
        }

        int valueEnd;
        char first = text[valueStart];
        if (first is '"' or '\'' or '`')
        {
            int close = text.IndexOf(first, valueStart + 1, end - valueStart - 1);
            if (close < 0)
            {
                return null;
            }

            valueStart++;
            valueEnd = close;
        }
        else if (first is '{' or '[' or '|' or '>' or '&' or '*')
        {
            return null; // a nested block, a YAML block scalar, an anchor or alias
        }
        else
        {
            valueEnd = end;
            int comment = text.IndexOf(" #", valueStart, end - valueStart, StringComparison.Ordinal);
            if (comment >= 0)
            {
                valueEnd = comment;
            }

            while (valueEnd > valueStart && (text[valueEnd - 1] is ' ' or '\t' or ',' or ';'))
            {
                valueEnd--;
            }
        }

        return valueEnd > valueStart ? new ConfigAssignment(key, valueStart, valueEnd - valueStart) : null;
    }

    private static bool OnlySpacesUntilSeparator(string text, int i, int end)
    {
        while (i < end && (text[i] is ' ' or '\t'))
        {
            i++;
        }

        return i < end && (text[i] == '=' || text[i] == ':');
    }
}
