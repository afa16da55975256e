using System.Text.RegularExpressions;
using KubeSecurity.Core.Rules;
using KubeSecurity.Model;
using Org.BouncyCastle.X509;

namespace KubeSecurity.Core.Certificates;

/// <summary>
/// Checks a CA rotation: certificates still signed by the old CA or issued before the rotation,
/// and trust stores that do not yet trust the new CA. Old and new CAs usually share a name, so
/// "issued by" is decided by verifying signatures, not by comparing names.
/// </summary>
public static partial class CertificateRotationAnalyzer
{
    public static (List<Finding> Findings, RotationSummary Summary) Analyze(IReadOnlyList<CertificateInfo> certificates, CertificateInfo newCa,
        IReadOnlyList<CertificateInfo>? oldCas, DateTimeOffset? rotatedAt)
    {
        List<CertificateInfo> old = (oldCas is { Count: > 0 }
                ? oldCas
                : certificates.Where(c => c.IsCertificateAuthority && c.Subject == newCa.Subject && c.Thumbprint != newCa.Thumbprint))
            .DistinctBy(c => c.Thumbprint).ToList();
        var oldThumbprints = old.Select(c => c.Thumbprint).ToHashSet(StringComparer.Ordinal);
        var parser = new X509CertificateParser();
        List<X509Certificate> oldParsed = old.Select(c => parser.ReadCertificate(c.GetRawData())).ToList();
        var findings = new List<Finding>();
        int fromOld = 0, beforeRotation = 0;

        foreach (CertificateInfo certificate in certificates.Where(c => c.Thumbprint != newCa.Thumbprint && !oldThumbprints.Contains(c.Thumbprint)))
        {
            X509Certificate parsed = parser.ReadCertificate(certificate.GetRawData());
            CertificateInfo? issuer = oldParsed.Select((ca, i) => (ca, i)).Where(p => ChainVerifier.SignedBy(parsed, p.ca)).Select(p => old[p.i]).FirstOrDefault();
            if (issuer is not null)
            {
                fromOld++;
                findings.Add(RuleCatalog.CreateFinding(RotationRules.IssuedByOldCa, ResourceOf(certificate),
                    $"'{certificate.Subject}' at {certificate.Source} is signed by the old CA '{issuer.Subject}' ({issuer.Thumbprint[..16]}).", Evidence(certificate)));
            }
            else if (rotatedAt is DateTimeOffset rotation && !certificate.IsCertificateAuthority && certificate.NotBefore < rotation)
            {
                beforeRotation++;
                findings.Add(RuleCatalog.CreateFinding(RotationRules.IssuedBeforeRotation, ResourceOf(certificate),
                    $"'{certificate.Subject}' at {certificate.Source} was issued {certificate.NotBefore:yyyy-MM-dd}, before the rotation on {rotation:yyyy-MM-dd}.", Evidence(certificate)));
            }
        }

        // Trust stores: places that hold only CA certificates (bundles, caBundles, kubeconfig CAs).
        int withoutNew = 0, stillOld = 0;
        foreach (IGrouping<string, CertificateInfo> store in certificates.GroupBy(c => Location(c.Source)).Where(g => g.All(c => c.IsCertificateAuthority)))
        {
            bool hasNew = store.Any(c => c.Thumbprint == newCa.Thumbprint);
            bool hasOld = store.Any(c => oldThumbprints.Contains(c.Thumbprint));
            if (!hasNew)
            {
                withoutNew++;
                CertificateInfo first = store.First();
                findings.Add(RuleCatalog.CreateFinding(RotationRules.NewCaNotTrusted, ResourceOf(first),
                    hasOld
                        ? $"{store.Key} trusts only the old CA; it does not contain the new CA '{newCa.Subject}' ({newCa.Thumbprint[..16]})."
                        : $"{store.Key} does not contain the new CA '{newCa.Subject}' ({newCa.Thumbprint[..16]}).",
                    new Dictionary<string, string> { ["TrustStore"] = store.Key, ["Holds"] = string.Join("; ", store.Select(c => $"{c.Subject} ({c.Thumbprint[..16]})")) }));
            }
            else if (hasOld)
            {
                stillOld++;
            }
        }

        var reasons = new List<string>();
        if (fromOld > 0)
        {
            reasons.Add($"{fromOld} certificate(s) are still signed by the old CA");
        }

        if (beforeRotation > 0)
        {
            reasons.Add($"{beforeRotation} certificate(s) were issued before the rotation");
        }

        if (withoutNew > 0)
        {
            reasons.Add($"{withoutNew} trust store(s) do not trust the new CA");
        }

        if (old.Count == 0)
        {
            reasons.Add("no old CA was identified (pass -OldCertificateAuthority when the new CA has a different name)");
        }

        var summary = new RotationSummary(newCa.Subject, newCa.Thumbprint, old.Select(c => $"{c.Subject} ({c.Thumbprint[..16]})").ToList(), rotatedAt,
            fromOld, beforeRotation, withoutNew, stillOld, reasons.Count == 0, reasons);
        return (findings, summary);
    }

    /// <summary>The source without the " [2/3]" position of a certificate in a bundle.</summary>
    private static string Location(string source) => BundlePosition().Replace(source, string.Empty);

    [GeneratedRegex(@" \[\d+/\d+\]$")]
    private static partial Regex BundlePosition();

    private static Dictionary<string, string> Evidence(CertificateInfo certificate) => new()
    {
        ["Source"] = certificate.Source,
        ["Subject"] = certificate.Subject,
        ["Thumbprint"] = certificate.Thumbprint,
        ["NotBefore"] = certificate.NotBefore.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static ResourceRef ResourceOf(CertificateInfo certificate) => CertificateAnalyzer.ResourceOf(certificate);
}
