using System.Management.Automation;
using KubeSecurity.Core.ControlPlane;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Kubelet hardening against the CIS Kubernetes Benchmark (section 4.2): KubeletConfiguration files
/// and saved /configz answers (-ConfigurationPath), or the kubeadm kubelet-config ConfigMap a
/// snapshot or live cluster holds. Failed controls are findings; -IncludePassed lists every control.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeKubelet", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubeKubelet.md")]
[OutputType(typeof(Finding), typeof(ControlCheck))]
public sealed class TestKubeKubeletCommand : SnapshotInputCmdlet
{
    private const string ConfigurationSet = "Configuration";
    private readonly List<KubeletConfigurationSource> files = new();

    /// <summary>KubeletConfiguration files (YAML or JSON), or saved /configz answers.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConfigurationSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? ConfigurationPath { get; set; }

    /// <summary>Every control on every configuration (Pass, Fail, NotCheckable) instead of the findings of the failed ones.</summary>
    [Parameter]
    public SwitchParameter IncludePassed { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds => new[] { "ConfigMap", "Node" };

    // Live, every node's effective configuration: one bounded /configz request per node (get on nodes/proxy).
    private protected override bool ReadsKubeletConfigz => true;

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

            var problems = new List<string>();
            if (KubeletConfigurations.Read(text, full, problems) is KubeletConfigurationSource source)
            {
                files.Add(source);
            }

            foreach (string problem in problems)
            {
                WriteError(new ErrorRecord(new InvalidDataException(problem), ErrorIds.KubeletConfigurationInvalid, ErrorCategory.InvalidData, full));
            }
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != ConfigurationSet)
        {
            base.EndProcessing();
            return;
        }

        if (files.Count > 0)
        {
            Emit(files, "the given files");
        }
    }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        var problems = new List<string>();
        List<KubeletConfigurationSource> sources = KubeletConfigurations.Find(snapshot, problems);
        foreach (string problem in problems)
        {
            WriteError(new ErrorRecord(new InvalidDataException(problem), ErrorIds.KubeletConfigurationInvalid, ErrorCategory.InvalidData, snapshot.ToString()));
        }

        if (sources.Count == 0)
        {
            WriteWarning("No kubelet configuration is in the input (no node /configz answer, no kube-system kubelet-config ConfigMap): the kubelet controls are not checkable; give the nodes' /var/lib/kubelet/config.yaml with -ConfigurationPath.");
        }

        Emit(sources, snapshot.Cluster ?? snapshot.Context ?? "input");
    }

    private void Emit(List<KubeletConfigurationSource> sources, string inputName)
    {
        List<ControlCheck> results = KubeletAnalyzer.Check(sources);
        WriteVerbose($"Checked {sources.Count} kubelet configuration(s) ({string.Join(", ", sources.Select(s => s.Source))}) against {Core.Rules.ControlPlaneRules.Benchmark} section 4.2: {results.Count(r => r.Status == ControlStatus.Pass)} passed, {results.Count(r => r.Status == ControlStatus.Fail)} failed.");
        if (IncludePassed)
        {
            WriteObject(results, enumerateCollection: true);
            return;
        }

        WriteObject(KubeletAnalyzer.Findings(results, inputName).OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Resource.ToString(), StringComparer.Ordinal), enumerateCollection: true);
    }
}
