using System.Text;

namespace KubeSecurity.Formatting;

/// <summary>
/// Used by the module's table views (KubeSecurity.format.ps1xml). PowerShell wraps a table cell at
/// exactly the column width, cutting words and names in half; these break long text at spaces, then
/// at '/', ',' or '-' (so <c>ClusterRoleBinding/ci-deployer</c> breaks after the slash), and only
/// split a word that is longer than the column.
/// </summary>
public static class ViewText
{
    // In order of preference: a name breaks after its separators before it breaks inside a word.
    private static readonly char[] SoftBreaks = { '/', ',', '>', ':', '-', '.' };

    /// <summary>The text broken into lines of at most <paramref name="width"/> characters.</summary>
    public static string Wrap(object? value, int width)
    {
        string text = value?.ToString() ?? string.Empty;
        if (width < 4 || text.Length <= width)
        {
            return text;
        }

        var lines = new List<string>();
        foreach (string paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            string rest = paragraph;
            while (rest.Length > width)
            {
                int cut = BreakAt(rest, width);
                lines.Add(rest[..cut].TrimEnd());
                rest = rest[cut..].TrimStart(' ');
            }

            lines.Add(rest);
        }

        return string.Join('\n', lines);
    }

    /// <summary>Key=value pairs of a dictionary in one line: <c>Critical=12, High=33</c>.</summary>
    public static string Pairs(System.Collections.IDictionary? values)
    {
        if (values is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (System.Collections.DictionaryEntry entry in values)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(entry.Key).Append('=').Append(entry.Value);
        }

        return text.ToString();
    }

    private static int BreakAt(string text, int width)
    {
        int space = text.LastIndexOf(' ', width);
        if (space > width / 3)
        {
            return space + 1;
        }

        foreach (char separator in SoftBreaks)
        {
            int soft = text.LastIndexOf(separator, width - 1);
            if (soft > width / 3)
            {
                return soft + 1;
            }
        }

        return width;
    }
}
