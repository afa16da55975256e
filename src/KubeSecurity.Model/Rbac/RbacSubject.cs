namespace KubeSecurity.Model;

/// <summary>
/// Who RBAC grants to: a User, a Group or a ServiceAccount (with its namespace). Parses the forms
/// people type: <c>User:alice</c>, <c>Group:devs</c>, <c>ServiceAccount:ns/name</c>,
/// <c>system:serviceaccount:ns:name</c>, or a bare user name.
/// </summary>
public sealed record RbacSubject(string Kind, string Name, string? Namespace = null)
{
    public const string UserKind = "User";
    public const string GroupKind = "Group";
    public const string ServiceAccountKind = "ServiceAccount";
    private const string ServiceAccountUserPrefix = "system:serviceaccount:";

    /// <summary>The user name the API server authenticates this subject as (service accounts: <c>system:serviceaccount:ns:name</c>).</summary>
    public string UserName => Kind == ServiceAccountKind ? $"{ServiceAccountUserPrefix}{Namespace}:{Name}" : Name;

    public override string ToString() => Kind == ServiceAccountKind ? $"ServiceAccount:{Namespace}/{Name}" : $"{Kind}:{Name}";

    public static RbacSubject ServiceAccount(string ns, string name) => new(ServiceAccountKind, name, ns);

    public static RbacSubject User(string name) => new(UserKind, name);

    public static RbacSubject Group(string name) => new(GroupKind, name);

    /// <summary>Parses a subject; throws <see cref="FormatException"/> naming the accepted forms.</summary>
    public static RbacSubject Parse(string text) =>
        TryParse(text, out RbacSubject? subject)
            ? subject!
            : throw new FormatException($"'{text}' is not a subject. Use User:NAME, Group:NAME, ServiceAccount:NAMESPACE/NAME, system:serviceaccount:NAMESPACE:NAME or a bare user name.");

    public static bool TryParse(string? text, out RbacSubject? subject)
    {
        subject = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.StartsWith(ServiceAccountUserPrefix, StringComparison.Ordinal))
        {
            string[] parts = text[ServiceAccountUserPrefix.Length..].Split(':');
            if (parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0)
            {
                subject = ServiceAccount(parts[0], parts[1]);
                return true;
            }

            return false;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string prefix = colon > 0 ? text[..colon] : string.Empty;
        string rest = colon > 0 ? text[(colon + 1)..] : text;
        switch (prefix.ToLowerInvariant())
        {
            case "user" or "u":
                subject = rest.Length > 0 ? User(rest) : null;
                break;
            case "group" or "g":
                subject = rest.Length > 0 ? Group(rest) : null;
                break;
            case "serviceaccount" or "sa":
                string[] parts = rest.Split('/', ':');
                subject = parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? ServiceAccount(parts[0], parts[1]) : null;
                break;
            default:
                // A plain name, or one with colons of its own (system:kube-scheduler): a user.
                subject = User(text);
                break;
        }

        return subject is not null;
    }
}
