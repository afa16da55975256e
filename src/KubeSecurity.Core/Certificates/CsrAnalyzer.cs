using KubeSecurity.Core.Rules;
using KubeSecurity.Model;

namespace KubeSecurity.Core.Certificates;

/// <summary>Reviews certificate signing requests: privileged identities, stale requests, weak keys on approved ones.</summary>
public static class CsrAnalyzer
{
    private const string ApiServerClientSigner = "kubernetes.io/kube-apiserver-client";
    private static readonly HashSet<string> OrdinaryGroups = new(StringComparer.Ordinal) { "system:authenticated", "system:masters" };

    public static List<Finding> Analyze(IEnumerable<CertificateSigningRequestInfo> requests)
    {
        var findings = new List<Finding>();
        foreach (CertificateSigningRequestInfo request in requests)
        {
            var evidence = new Dictionary<string, string>
            {
                ["RequestedSubject"] = request.RequestedSubject,
                ["Signer"] = request.SignerName,
                ["Condition"] = request.Condition,
                ["RequestedBy"] = request.Username ?? "(unknown)",
            };

            if (request.Groups.Contains("system:masters") && request.Condition != "Denied")
            {
                findings.Add(RuleCatalog.CreateFinding(CsrRules.MastersRequested, request.ToResourceRef(),
                    $"CSR {request.Name} ({request.Condition}) from {request.Username ?? "an unknown user"} asks for '{request.RequestedSubject}': a certificate in system:masters is unrevocable cluster-admin.", evidence));
            }
            else if (request.SignerName == ApiServerClientSigner && request.Condition != "Denied"
                && (request.CommonName?.StartsWith("system:", StringComparison.Ordinal) == true || request.Groups.Any(g => g.StartsWith("system:", StringComparison.Ordinal) && !OrdinaryGroups.Contains(g))))
            {
                findings.Add(RuleCatalog.CreateFinding(CsrRules.PrivilegedClientIdentity, request.ToResourceRef(),
                    $"CSR {request.Name} ({request.Condition}) asks {ApiServerClientSigner} for a client certificate as '{request.RequestedSubject}'.", evidence));
            }

            if (request.Condition == "Pending" && request.Age is TimeSpan age && age > TimeSpan.FromDays(1))
            {
                findings.Add(RuleCatalog.CreateFinding(CsrRules.PendingTooLong, request.ToResourceRef(),
                    $"CSR {request.Name} has been pending for {age.TotalDays:0} days.", evidence));
            }

            if (CertificateDescriber.IsWeakKey(request.KeyAlgorithm, request.KeySize) && request.Condition == "Approved")
            {
                findings.Add(RuleCatalog.CreateFinding(CsrRules.ApprovedWeakKey, request.ToResourceRef(),
                    $"CSR {request.Name} was approved for a {request.KeySize}-bit {request.KeyAlgorithm} key.", evidence));
            }
        }

        return findings;
    }
}
