using System.Management.Automation;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Decodes each CertificateSigningRequest: requested subject and groups, names, key, signer, usages, condition, age and requester.</summary>
[Cmdlet(VerbsCommon.Get, "KubeCertificateSigningRequest", DefaultParameterSetName = LiveSet, HelpUri = HelpLinks.Base + "Get-KubeCertificateSigningRequest.md")]
[OutputType(typeof(CertificateSigningRequestInfo))]
public sealed class GetKubeCertificateSigningRequestCommand : SnapshotInputCmdlet
{
    /// <summary>Only requests in these conditions.</summary>
    [Parameter]
    [ValidateSet("Pending", "Approved", "Denied", "Failed")]
    public string[]? Condition { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds { get; } = new[] { "CertificateSigningRequest" };

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
    {
        if (!snapshot.HasKind("CertificateSigningRequest"))
        {
            WriteWarning("CertificateSigningRequest objects were not collected; no requests can be listed.");
        }

        (List<CertificateSigningRequestInfo> requests, List<CertificateProblem> problems) = CsrReader.Read(snapshot, DateTimeOffset.UtcNow);
        foreach (CertificateProblem problem in problems)
        {
            WriteCertificateProblem(problem);
        }

        foreach (CertificateSigningRequestInfo request in requests.Where(r => Condition is null || Condition.Contains(r.Condition, StringComparer.OrdinalIgnoreCase)))
        {
            WriteObject(request);
        }
    }
}
