using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace KubeSecurity.Pester.Tests;

/// <summary>
/// Each Pester file under tests/pester runs in its own real pwsh 7.6.9 (the repository's local
/// tool); a Pester failure fails the xunit test with the failed tests' names and messages, and the
/// counts are written to the test output that `dotnet test` shows.
/// </summary>
public sealed class PesterSuiteTests
{
    private static readonly string RepoRoot = Path.GetFullPath(Metadata("RepoRoot"));
    private static readonly string PesterManifest = Metadata("PesterManifest");
    private readonly ITestOutputHelper output;

    public PesterSuiteTests(ITestOutputHelper output) => this.output = output;

    public static TheoryData<string> PesterFiles()
    {
        var files = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(RepoRoot, "tests", "pester"), "*.Tests.ps1").Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(file));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(PesterFiles))]
    public void Pester_file_passes_in_real_pwsh(string file)
    {
        (int exitCode, string stdout, JsonElement root) = RunPester(Path.Combine(RepoRoot, "tests", "pester", file));
        int passed = root.GetProperty("Passed").GetInt32();
        int failed = root.GetProperty("Failed").GetInt32();
        int skipped = root.GetProperty("Skipped").GetInt32();
        output.WriteLine($"Pester {file}: {passed} passed, {failed} failed, {skipped} skipped (pwsh 7.6.9, Pester {Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(PesterManifest)))})");

        if (failed > 0 || exitCode != 0)
        {
            var message = new StringBuilder($"{failed} Pester test(s) failed in {file}:");
            foreach (JsonElement failure in root.GetProperty("Failures").EnumerateArray())
            {
                message.AppendLine().Append("  - ").Append(failure.GetProperty("Name").GetString()).Append(": ").Append(failure.GetProperty("Message").GetString());
            }

            output.WriteLine(stdout);
            Assert.Fail(message.ToString());
        }

        Assert.True(passed > 0, $"{file} ran no Pester test.");
    }

    [Theory]
    [InlineData("OneFailing.Tests.ps1", 1, 1)]
    [InlineData("BrokenSetup.Tests.ps1", 0, 1)]
    public void A_failing_Pester_test_or_setup_is_reported_as_a_failure(string fixture, int expectedPassed, int expectedFailed)
    {
        (int exitCode, _, JsonElement root) = RunPester(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        Assert.NotEqual(0, exitCode);
        Assert.Equal(expectedPassed, root.GetProperty("Passed").GetInt32());
        Assert.True(root.GetProperty("Failed").GetInt32() >= expectedFailed);
        Assert.Contains(root.GetProperty("Failures").EnumerateArray(), f => f.GetProperty("Message").GetString()!.Contains("on purpose", StringComparison.Ordinal) || f.GetProperty("Message").GetString()!.Contains("Expected 2", StringComparison.Ordinal));
    }

    private (int ExitCode, string Stdout, JsonElement Result) RunPester(string path)
    {
        Assert.True(File.Exists(PesterManifest), $"Pester was not restored from NuGet: {PesterManifest} is missing.");
        string runner = Path.Combine(RepoRoot, "tests", "pester", "Invoke-PesterSuite.ps1");
        (int exitCode, string stdout, string stderr) = Pwsh.Run(RepoRoot, TimeSpan.FromMinutes(10), "-NoProfile", "-NonInteractive", "-File", runner, "-Path", path, "-PesterManifest", PesterManifest);
        string? resultLine = stdout.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.StartsWith("PESTER-RESULT ", StringComparison.Ordinal));
        if (resultLine is null)
        {
            output.WriteLine(stdout);
            Assert.Fail($"pwsh exited {exitCode} without a Pester result for {path}.{Environment.NewLine}{stderr}");
        }

        return (exitCode, stdout, JsonDocument.Parse(resultLine["PESTER-RESULT ".Length..]).RootElement.Clone());
    }

    private static string Metadata(string key) =>
        typeof(PesterSuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
