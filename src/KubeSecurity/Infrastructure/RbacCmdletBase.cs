using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// The RBAC cmdlets' shared step: build the policy index from the snapshot, report the RBAC
/// objects the API server would have rejected (one error each; the rest is analysed), and say
/// when RBAC kinds are missing so an empty answer is not mistaken for a safe one.
/// </summary>
public abstract class RbacCmdletBase : SnapshotInputCmdlet
{
    internal static IReadOnlyList<string> RbacKinds => Core.Audit.AuditAreas.RbacObjects;

    protected override IReadOnlyList<string>? RequiredKinds => Core.Audit.AuditAreas.Rbac.Kinds;

    /// <summary>
    /// The Kubernetes default roles and bindings (cluster-admin, admin, edit, view, system:*):
    /// Auto assumes them where the input lacks them (offline input usually does; a live cluster
    /// returns its own), None never does, a version (1.27 to 1.33) also fills in each one missing
    /// from offline input that holds some. Answers that rely on an assumed default say so.
    /// </summary>
    [Parameter]
    [ValidateDefaultRbac]
    [ArgumentCompleter(typeof(Completers.DefaultRbacCompleter))]
    public string DefaultRbac { get; set; } = "Auto";

    internal DefaultRbacChoice DefaultRbacChoice => DefaultRbacChoice.FromValidated(DefaultRbac);

    internal RbacPolicy BuildPolicy(KubeSnapshot snapshot)
    {
        RbacPolicy policy = RunEngine((_, token) => Task.FromResult(RbacPolicy.Build(snapshot, DefaultRbacChoice, token)));
        foreach (RbacProblem problem in policy.Problems)
        {
            WriteError(new ErrorRecord(new InvalidDataException(problem.ToString()), ErrorIds.RbacObjectInvalid, ErrorCategory.InvalidData, problem.Resource.ToString()));
        }

        foreach (MissingKind missing in snapshot.MissingKinds.Where(m => RbacKinds.Contains(m.Kind, StringComparer.Ordinal)))
        {
            WriteWarning($"{missing.Kind} objects could not be read ({missing.Reason}); RBAC answers leave out what they grant.");
        }

        WriteVerbose(policy.AssumptionNote());
        WriteVerbose($"Indexed {policy.Roles.Count} role(s) and {policy.Bindings.Count} binding(s){(policy.AwsAuth.Count > 0 ? $" and {policy.AwsAuth.Count} aws-auth mapping(s)" : string.Empty)} from the snapshot.");
        return policy;
    }

    /// <summary>
    /// Splits -Subject values into exact subjects and wildcard patterns (matched against
    /// User:NAME, Group:NAME, ServiceAccount:NS/NAME); malformed exact ones are errors.
    /// </summary>
    internal (List<RbacSubject> Exact, List<WildcardPattern> Patterns) SplitSubjects(IEnumerable<string>? values)
    {
        var exact = new List<RbacSubject>();
        var patterns = new List<WildcardPattern>();
        foreach (string text in values ?? Array.Empty<string>())
        {
            if (WildcardPattern.ContainsWildcardCharacters(text))
            {
                patterns.Add(new WildcardPattern(text, WildcardOptions.IgnoreCase));
            }
            else if (ParseSubject(text) is RbacSubject subject)
            {
                exact.Add(subject);
            }
        }

        return (exact, patterns);
    }

    /// <summary>Parses a subject argument; a malformed one is a non-terminating error naming the accepted forms.</summary>
    internal RbacSubject? ParseSubject(string text)
    {
        if (RbacSubject.TryParse(text, out RbacSubject? subject))
        {
            return subject;
        }

        WriteError(new ErrorRecord(new FormatException($"'{text}' is not a subject. Use User:NAME, Group:NAME, ServiceAccount:NAMESPACE/NAME, system:serviceaccount:NAMESPACE:NAME or a bare user name."),
            ErrorIds.InvalidSubject, ErrorCategory.InvalidArgument, text));
        return null;
    }
}
