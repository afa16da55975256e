using System.Management.Automation;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Checks a cluster CA rotation: what is still issued by the old CA or before the rotation, which
/// trust stores do not trust the new CA yet, and whether the old CA can be removed.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeCertificateRotation", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubeCertificateRotation.md")]
[OutputType(typeof(Finding), typeof(RotationSummary))]
public sealed class TestKubeCertificateRotationCommand : CertificateCmdletBase
{
    /// <summary>The new CA: a certificate file, a Get-KubeCertificate result, or a New-KubeCertificate result.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public object? NewCertificateAuthority { get; set; }

    /// <summary>The CA being replaced. Default: CA certificates with the new CA's name but another key.</summary>
    [Parameter]
    [ValidateNotNull]
    public object[]? OldCertificateAuthority { get; set; }

    /// <summary>When the rotation started: certificates issued earlier are reported.</summary>
    [Parameter]
    public DateTimeOffset? RotatedAt { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        List<CertificateInfo> newCas = ResolveAuthorities(NewCertificateAuthority!);
        if (newCas.Count != 1)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-NewCertificateAuthority must be exactly one CA certificate; it holds {newCas.Count}."),
                "InvalidCertificateAuthority", ErrorCategory.InvalidArgument, NewCertificateAuthority));
        }

        List<CertificateInfo>? oldCas = OldCertificateAuthority?.SelectMany(ResolveAuthorities).ToList();
        List<CertificateInfo> certificates = CollectCertificates(snapshot, DateTimeOffset.UtcNow);
        (List<Finding> findings, RotationSummary summary) = CertificateRotationAnalyzer.Analyze(certificates, newCas[0], oldCas, RotatedAt);
        WriteVerbose($"Checked {certificates.Count} certificate(s) against the new CA '{summary.NewCertificateAuthority}' and {summary.OldCertificateAuthorities.Count} old CA(s).");
        WriteObject(findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal), enumerateCollection: true);
        WriteObject(summary);
    }

    private List<CertificateInfo> ResolveAuthorities(object value)
    {
        switch (value is PSObject wrapped ? wrapped.BaseObject : value)
        {
            case CertificateInfo certificate:
                return new List<CertificateInfo> { certificate };
            case GeneratedCertificate generated:
                return new List<CertificateInfo> { generated.Certificate };
            case string path:
                return ReadCertificateAuthorities(new[] { path }, DateTimeOffset.UtcNow);
            default:
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"A {value.GetType().Name} is not a CA certificate: pass a file path, a Get-KubeCertificate result or a New-KubeCertificate result."),
                    "InvalidCertificateAuthority", ErrorCategory.InvalidArgument, value));
                return new List<CertificateInfo>();
        }
    }
}
