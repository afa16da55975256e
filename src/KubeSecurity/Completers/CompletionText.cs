namespace KubeSecurity.Completers;

internal static class CompletionText
{
    private static readonly System.Buffers.SearchValues<char> NeedsQuoting = System.Buffers.SearchValues.Create(" '\"$`;(){}@#,&|");

    /// <summary>Quotes a value that PowerShell would otherwise split or interpret.</summary>
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(NeedsQuoting) >= 0
            ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'"
            : value;
}
