using System.Management.Automation;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;
using KubeSecurity.Core.Credentials;

namespace KubeSecurity.Commands;

/// <summary>Finds credentials stored outside Secrets: ConfigMaps, literal env values, command lines, annotations and last-applied configurations.</summary>
[Cmdlet(VerbsCommon.Find, "KubeCredentialLeak", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Find-KubeCredentialLeak.md")]
[OutputType(typeof(Finding))]
public sealed class FindKubeCredentialLeakCommand : SecretCmdletBase
{
    /// <summary>Shannon entropy (bits per character) above which a long token is reported; higher means fewer, surer findings.</summary>
    [Parameter]
    [ValidateRange(1.0, 6.0)]
    public double EntropyThreshold { get; set; } = 4.2;

    /// <summary>The shortest token the entropy detector considers.</summary>
    [Parameter]
    [ValidateRange(8, 4096)]
    public int MinimumEntropyLength { get; set; } = 24;

    /// <summary>Only credentials detected with at least this confidence: High (a checksum or a distinctive prefix), Medium, or Low (randomness alone; the default keeps everything).</summary>
    [Parameter]
    public CredentialConfidence MinimumConfidence { get; set; } = CredentialConfidence.Low;

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        var detector = new CredentialDetector { EntropyThreshold = EntropyThreshold, MinimumEntropyLength = MinimumEntropyLength };
        LeakScanResult result = RunEngine((reporter, token) =>
        {
            reporter.Progress(new Core.Diagnostics.OperationProgress("Scanning for credentials", $"{snapshot.Objects.Count} objects", -1));
            LeakScanResult scan = CredentialLeakScanner.Scan(snapshot, detector, token);
            reporter.Progress(new Core.Diagnostics.OperationProgress("Scanning for credentials", "Done", 100, Completed: true));
            return Task.FromResult(scan);
        });
        foreach (string problem in result.Problems)
        {
            WriteError(new ErrorRecord(new InvalidDataException(problem), ErrorIds.SecretUnreadable, ErrorCategory.InvalidData, problem.Split(':')[0]));
        }

        WriteVerbose($"Scanned {result.BytesScanned:N0} characters of ConfigMaps, environment values, command lines and annotations: {result.Findings.Count} finding(s).");
        WarnRedacted(snapshot, result.RedactedValues, "value scans");
        IEnumerable<Finding> findings = result.Findings.Where(f => !f.Evidence.TryGetValue("Confidence", out string? confidence)
            || (Enum.TryParse(confidence, out CredentialConfidence level) && level >= MinimumConfidence));
        if (Namespace is { Length: > 0 })
        {
            findings = findings.Where(f => f.Namespace is not null && Namespace.Contains(f.Namespace, StringComparer.Ordinal));
        }

        WriteObject(findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Resource.ToString(), StringComparer.Ordinal), enumerateCollection: true);
    }
}
