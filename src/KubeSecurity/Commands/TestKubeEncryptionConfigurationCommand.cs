using System.Management.Automation;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Reviews an API server EncryptionConfiguration file: secrets covered, the provider that writes, keys, KMS settings.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeEncryptionConfiguration")]
[OutputType(typeof(Finding))]
public sealed class TestKubeEncryptionConfigurationCommand : KubeCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string path in Path!)
        {
            string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            if (!File.Exists(full))
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"The file '{full}' does not exist.", full), ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, full));
                continue;
            }

            try
            {
                List<Finding> findings = EncryptionConfigurationAnalyzer.Analyze(File.ReadAllText(full), full);
                WriteVerbose($"{full}: {findings.Count} finding(s). Key material is identified by fingerprint only.");
                WriteObject(findings.OrderByDescending(f => f.Severity), enumerateCollection: true);
            }
            catch (EncryptionConfigurationException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.EncryptionConfigurationInvalid, ErrorCategory.InvalidData, full));
            }
        }
    }
}
