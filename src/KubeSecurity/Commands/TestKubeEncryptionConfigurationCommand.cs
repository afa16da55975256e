using System.Management.Automation;
using KubeSecurity.Core.Secrets;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Reviews encryption at rest: an API server EncryptionConfiguration file (-ConfigurationPath:
/// secrets covered, the provider that writes, keys, KMS settings), or the API server pods a
/// snapshot or live cluster shows (whether they run with --encryption-provider-config).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeEncryptionConfiguration", DefaultParameterSetName = ConfigurationSet, HelpUri = HelpLinks.Base + "Test-KubeEncryptionConfiguration.md")]
[OutputType(typeof(Finding))]
public sealed class TestKubeEncryptionConfigurationCommand : SnapshotInputCmdlet
{
    private const string ConfigurationSet = "Configuration";

    /// <summary>EncryptionConfiguration files (YAML or JSON).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConfigurationSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? ConfigurationPath { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds => new[] { "Pod" };

    protected override void ProcessRecord()
    {
        if (ParameterSetName != ConfigurationSet)
        {
            base.ProcessRecord();
            return;
        }

        foreach (string path in ConfigurationPath!)
        {
            if (!TryReadTextFile(path, out string full, out string text))
            {
                continue;
            }

            try
            {
                List<Finding> findings = EncryptionConfigurationAnalyzer.Analyze(text, full);
                WriteVerbose($"{full}: {findings.Count} finding(s). Key material is identified by fingerprint only.");
                WriteObject(findings.OrderByDescending(f => f.Severity), enumerateCollection: true);
            }
            catch (EncryptionConfigurationException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.EncryptionConfigurationInvalid, ErrorCategory.InvalidData, full));
            }
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != ConfigurationSet)
        {
            base.EndProcessing();
        }
    }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        List<Finding>? findings = EncryptionConfigurationAnalyzer.CheckApiServers(snapshot, out List<string> paths);
        if (findings is null)
        {
            WriteWarning("No kube-apiserver pod is visible in kube-system (a managed control plane?): encryption at rest cannot be checked from the cluster; check the provider's settings, or run with -ConfigurationPath on the control-plane host.");
            return;
        }

        foreach (string path in paths.Distinct(StringComparer.Ordinal))
        {
            // A warning, not verbose text: no finding here does not mean the providers were checked.
            WriteWarning($"The API server encrypts with the configuration in {path}, on the control-plane node: its providers are not visible from the cluster, so they are not checked. Run Test-KubeEncryptionConfiguration -ConfigurationPath {path} on that host.");
        }

        WriteObject(findings, enumerateCollection: true);
    }
}
