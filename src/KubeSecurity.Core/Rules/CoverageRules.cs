using KubeSecurity.Model;

namespace KubeSecurity.Core.Rules;

/// <summary>
/// Rules about what an audit could see. A partial snapshot is never a clean bill of health: these
/// findings say which kinds were not read and so which checks did not run.
/// </summary>
public static class CoverageRules
{
    public const string KindNotCollected = "KSEC-GEN-001";
    public const string UnknownKinds = "KSEC-GEN-002";
    public const string InputNotRead = "KSEC-GEN-003";
    public const string ExpiredSuppression = "KSEC-GEN-004";

    public static IReadOnlyList<SecurityRule> All { get; } = new[]
    {
        new SecurityRule(KindNotCollected, "A resource kind could not be collected", Severity.Medium, "Coverage",
            "The snapshot lacks a kind that security analysis reads (the API answered 403 Forbidden, or does not serve it). Checks that need that kind did not run, so their silence is not a pass.",
            "Collect with credentials that can list and get the kind (for example a ClusterRole with get/list on it), or add the kind's manifests to the files you audit.",
            new[] { "https://kubernetes.io/docs/reference/access-authn-authz/rbac/" }),
        new SecurityRule(UnknownKinds, "Objects of kinds the analyses do not model", Severity.Info, "Coverage",
            "The snapshot holds objects of kinds outside the set the analyses read (custom resources, for example). They are kept and counted, but no rule inspects them.",
            "No action is needed unless those kinds carry security-relevant configuration; then check them with a tool that models them.",
            Array.Empty<string>()),
        new SecurityRule(InputNotRead, "An input document could not be read", Severity.Medium, "Coverage",
            "A file or a document in a file was malformed or not a Kubernetes object, so the objects it describes were not analysed; or a security field of an object has the wrong type (privileged: \"yes please\"), which the API server rejects, so the object was analysed as if the field were unset.",
            "Fix the document named in the finding (the message gives the line) and run the audit again.",
            Array.Empty<string>()),
        new SecurityRule(ExpiredSuppression, "Expired suppression", Severity.Low, "Coverage",
            "A suppression in the suppression file has passed its expiry date: it no longer hides the findings it matched, which are reported again.",
            "Fix the findings, or renew the suppression with a new justification and expiry date.",
            Array.Empty<string>()),
    };

    /// <summary>Findings that say what the snapshot could not show.</summary>
    public static IEnumerable<Finding> Evaluate(KubeSnapshot snapshot)
    {
        foreach (MissingKind missing in snapshot.MissingKinds)
        {
            var evidence = new Dictionary<string, string> { ["Reason"] = missing.Reason };
            if (missing.StatusCode is int code)
            {
                evidence["StatusCode"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            yield return RuleCatalog.CreateFinding(KindNotCollected, new ResourceRef(missing.Kind, null, "*"),
                $"{missing.Kind} objects were not collected ({missing.Reason}); checks that read them did not run.", evidence);
        }

        foreach (string problem in snapshot.InputProblems)
        {
            int split = problem.IndexOf(": ", StringComparison.Ordinal);
            string location = split > 0 ? problem[..split] : problem;
            yield return RuleCatalog.CreateFinding(InputNotRead, new ResourceRef("File", null, location),
                $"{problem}. Objects in it were not analysed.");
        }

        if (snapshot.UnknownKinds.Count > 0)
        {
            var evidence = snapshot.UnknownKinds.ToDictionary(k => k, k => snapshot.Counts.TryGetValue(k, out int n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0", StringComparer.Ordinal);
            yield return RuleCatalog.CreateFinding(UnknownKinds, new ResourceRef("Snapshot", null, snapshot.Context ?? "snapshot"),
                $"{snapshot.UnknownKinds.Count} kind(s) are kept but not analysed: {string.Join(", ", snapshot.UnknownKinds)}.", evidence);
        }
    }
}
