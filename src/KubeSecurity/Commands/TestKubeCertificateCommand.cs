using System.Management.Automation;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Rules;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Checks every certificate the cluster depends on: expiry, validity, key and signature strength,
/// names, key pairs of TLS secrets, chains, Ingress wiring, kubeconfig client certificates, and
/// the certificate signing requests waiting or approved.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeCertificate", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Test-KubeCertificate.md")]
[OutputType(typeof(Finding))]
[OutputType(typeof(bool))]
public sealed class TestKubeCertificateCommand : CertificateCmdletBase
{
    /// <summary>Certificates expiring within this many days are reported (Critical inside 7).</summary>
    [Parameter]
    [ValidateRange(1, 3650)]
    public int WarningDays { get; set; } = 30;

    /// <summary>Report findings at or above this severity.</summary>
    [Parameter]
    public Severity MinimumSeverity { get; set; } = Severity.Info;

    /// <summary>Return $true when nothing at or above -MinimumSeverity was found, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>CA certificate files every (non-CA) certificate must chain to, for example the cluster CA.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CertificateAuthority { get; set; }

    /// <summary>Evaluate as of this time instead of now (what will have expired by the end of the quarter?).</summary>
    [Parameter]
    public DateTimeOffset? AsOf { get; set; }

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        DateTimeOffset asOf = AsOf ?? DateTimeOffset.UtcNow;
        List<CertificateInfo> certificates = CollectCertificates(snapshot, asOf);
        var options = new CertificateCheckOptions { AsOf = asOf, WarningDays = WarningDays, TrustedAuthorities = ReadAuthorities(asOf) };
        (List<CertificateSigningRequestInfo> requests, List<CertificateProblem> csrProblems) = CsrReader.Read(snapshot, asOf);
        foreach (CertificateProblem problem in csrProblems)
        {
            WriteCertificateProblem(problem);
        }

        var keyProblems = new List<CertificateProblem>();
        List<Finding> certificateFindings = CertificateAnalyzer.Analyze(snapshot, certificates, options, keyProblems);
        foreach (CertificateProblem problem in keyProblems)
        {
            WriteCertificateProblem(problem);
        }

        List<Finding> findings = certificateFindings
            .Concat(CsrAnalyzer.Analyze(requests))
            .Concat(CoverageRules.Evaluate(snapshot).Where(f => f.RuleId != CoverageRules.UnknownKinds))
            .Where(f => f.Severity >= MinimumSeverity)
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
        WriteVerbose($"Checked {certificates.Count} certificate(s) as of {asOf:yyyy-MM-dd}: {findings.Count} finding(s) at or above {MinimumSeverity}.");
        if (Quiet)
        {
            WriteObject(findings.Count == 0);
            return;
        }

        WriteObject(findings, enumerateCollection: true);
    }

    private List<CertificateInfo> ReadAuthorities(DateTimeOffset asOf)
    {
        if (CertificateAuthority is null)
        {
            return new List<CertificateInfo>();
        }

        List<CertificateInfo> authorities = ReadCertificateAuthorities(CertificateAuthority, asOf);
        if (authorities.Count == 0)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-CertificateAuthority holds no CA certificate."), "InvalidCertificateAuthority", ErrorCategory.InvalidArgument, CertificateAuthority));
        }

        return authorities;
    }
}
