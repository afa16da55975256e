namespace KubeSecurity.Core.Tests.Secrets;

/// <summary>The labelled credential corpus (credential-corpus.tsv): expected verdict, key, value (\n stands for a newline).</summary>
internal static class CredentialCorpus
{
    public static IEnumerable<(bool Expected, string Key, string Value)> Read() =>
        File.ReadLines(Path.Combine(TestPaths.RepoRoot, "tests", "KubeSecurity.Core.Tests", "Secrets", "credential-corpus.tsv"))
            .Where(l => !l.StartsWith('#') && l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(p => (p[0] == "1", p[1], p[2].Replace("\\n", "\n", StringComparison.Ordinal)));
}
