using System.Collections;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace KubeSecurity.Module.Tests;

/// <summary>
/// An in-process PowerShell with the staged module imported, exactly as a user would get it:
/// Import-Module of out/KubeSecurity/&lt;version&gt;/KubeSecurity.psd1.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    public static string ManifestPath { get; } = Metadata("StagedModuleManifest");
    public static string RepoRoot { get; } = Path.GetFullPath(Metadata("RepoRoot"));
    public static string DemoCluster => Path.Combine(RepoRoot, "samples", "demo-cluster");

    private readonly PowerShell shell;

    public ModuleSession(bool import = true)
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        shell = PowerShell.Create(InitialSessionState.CreateDefault2());
        if (import)
        {
            Run("Import-Module -Name $args[0] -ErrorAction Stop", ManifestPath);
            Assert.False(shell.HadErrors, "Import-Module wrote errors");
        }
    }

    public PSDataStreams Streams => shell.Streams;
    public IReadOnlyList<ErrorRecord> Errors => shell.Streams.Error.ToList();
    public IReadOnlyList<string> Warnings => shell.Streams.Warning.Select(w => w.Message).ToList();
    public IReadOnlyList<string> Verbose => shell.Streams.Verbose.Select(v => v.Message).ToList();

    /// <summary>Runs a script (arguments arrive as $args) and returns its output; streams stay readable until the next run.</summary>
    public Collection<PSObject> Run(string script, params object?[] arguments)
    {
        Prepare(script, arguments);
        return shell.Invoke();
    }

    private void Prepare(string script, object?[] arguments)
    {
        shell.Commands.Clear();
        shell.Streams.ClearStreams();
        shell.AddScript(script);
        foreach (object? argument in arguments)
        {
            shell.AddArgument(argument);
        }
    }

    /// <summary>Starts a script without waiting, for tests that stop it as Ctrl+C would.</summary>
    public IAsyncResult Start(string script, params object?[] arguments)
    {
        Prepare(script, arguments);
        return shell.BeginInvoke();
    }

    /// <summary>What Ctrl+C does: stops the running pipeline, returning when it has stopped.</summary>
    public void Stop() => shell.Stop();

    public PSInvocationState State => shell.InvocationStateInfo.State;

    /// <summary>Starts a slow script, presses Ctrl+C once it runs, and asserts that it stopped within 3 s.</summary>
    public async Task AssertStopsPromptly(string script, params object?[] arguments)
    {
        IAsyncResult running = Start(script, arguments);
        await Task.Delay(500);
        Assert.Equal(PSInvocationState.Running, State);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Stop();
        watch.Stop();

        Assert.Equal(PSInvocationState.Stopped, State);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {watch.Elapsed}");
        Assert.True(running.IsCompleted);
    }

    /// <summary>
    /// Runs a script expected to stop with a terminating error and returns that error. A
    /// non-terminating error would not reach the catch block, so this tells the two apart.
    /// </summary>
    public ErrorRecord RunExpectingTerminatingError(string script, params object?[] arguments)
    {
        Collection<PSObject> output = Run("try { " + script + " ; 'completed without a terminating error' } catch { $_ }", arguments);
        return Assert.IsType<ErrorRecord>(Assert.Single(output).BaseObject);
    }

    /// <summary>Everything the user could see besides output: errors, warnings, verbose, debug, information and progress.</summary>
    public string AllStreamText() =>
        string.Join("\n", shell.Streams.Error.Select(e => e.ToString() + " " + e.TargetObject)
            .Concat(shell.Streams.Warning.Select(w => w.Message))
            .Concat(shell.Streams.Verbose.Select(v => v.Message))
            .Concat(shell.Streams.Debug.Select(d => d.Message))
            .Concat(shell.Streams.Information.Select(i => i.MessageData?.ToString() ?? string.Empty))
            .Concat(shell.Streams.Progress.Select(p => p.Activity + " " + p.StatusDescription)));

    public void Dispose() => shell.Dispose();

    private static string Metadata(string key) =>
        typeof(ModuleSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "kubesecurity-module-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
