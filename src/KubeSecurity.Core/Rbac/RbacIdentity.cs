using KubeSecurity.Model;

namespace KubeSecurity.Core.Rbac;

/// <summary>
/// What the authorizer knows about a requester: a user name and groups, including the implicit
/// groups the authenticators add (service accounts: <c>system:serviceaccounts</c> and
/// <c>system:serviceaccounts:NS</c>; everyone authenticated: <c>system:authenticated</c>).
/// </summary>
public sealed class RbacIdentity
{
    public const string Masters = "system:masters";
    public const string Authenticated = "system:authenticated";
    public const string Unauthenticated = "system:unauthenticated";
    public const string Anonymous = "system:anonymous";

    private RbacIdentity(RbacSubject subject, string? userName, IReadOnlyCollection<string> groups, string? via)
    {
        Subject = subject;
        UserName = userName;
        Groups = groups;
        Via = via;
    }

    public RbacSubject Subject { get; }

    /// <summary>Null for "some member of a group", who matches no User subject.</summary>
    public string? UserName { get; }
    public IReadOnlyCollection<string> Groups { get; }

    /// <summary>How the identity came about (an aws-auth mapping), when not directly.</summary>
    public string? Via { get; }

    public bool IsMaster => Groups.Contains(Masters);

    public static RbacIdentity For(RbacSubject subject, IEnumerable<string>? extraGroups = null, string? via = null)
    {
        var groups = new HashSet<string>(extraGroups ?? Array.Empty<string>(), StringComparer.Ordinal);
        string? user = null;
        switch (subject.Kind)
        {
            case RbacSubject.ServiceAccountKind:
                user = subject.UserName;
                groups.Add("system:serviceaccounts");
                groups.Add($"system:serviceaccounts:{subject.Namespace}");
                groups.Add(Authenticated);
                break;
            case RbacSubject.GroupKind:
                groups.Add(subject.Name);
                if (subject.Name != Unauthenticated)
                {
                    groups.Add(Authenticated);
                }

                break;
            default:
                user = subject.Name;
                groups.Add(subject.Name == Anonymous ? Unauthenticated : Authenticated);
                break;
        }

        return new RbacIdentity(subject, user, groups, via);
    }
}
