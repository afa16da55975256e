using System.Management.Automation;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Lists every certificate the cluster depends on, each with where it was found: TLS and other
/// secrets, CA bundles in ConfigMaps, webhook and APIService caBundles, issued CSRs, the kubeconfig
/// and the API server's own chain (live), and certificate files or folders (-Path).
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeCertificate", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeCertificate.md")]
[OutputType(typeof(CertificateInfo))]
public sealed class GetKubeCertificateCommand : CertificateCmdletBase
{
    /// <summary>Only certificates that expire within this many days (expired ones included).</summary>
    [Parameter]
    [ValidateRange(0, 36500)]
    public int? ExpiringWithinDays { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        List<CertificateInfo> certificates = CollectCertificates(snapshot, DateTimeOffset.UtcNow);
        IEnumerable<CertificateInfo> selected = ExpiringWithinDays is int days ? certificates.Where(c => c.DaysRemaining <= days) : certificates;
        foreach (CertificateInfo certificate in selected.OrderBy(c => c.NotAfter).ThenBy(c => c.Source, StringComparer.Ordinal))
        {
            WriteObject(certificate);
        }
    }
}
