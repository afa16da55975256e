namespace KubeSecurity.Model;

/// <summary>
/// One secret joined with everything known about it: type and keys, who can read it, which
/// workloads consume it and how, when it last changed, whether it is a legacy token, and leak
/// indicators. Flat text columns so it exports cleanly with Export-Csv; never any value.
/// </summary>
public sealed record SecretInventoryItem(
    string Namespace,
    string Name,
    string Type,
    string Keys,
    int ReaderCount,
    string ReadableBy,
    int ConsumerCount,
    string ConsumedBy,
    DateTimeOffset? LastChanged,
    string LastChangedFrom,
    bool IsLegacyToken,
    string LeakIndicators)
{
    // An instance property so inventory rows bind by property name (Kind, Namespace, Name) to cmdlets such as Remove-KubeSecret.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Pipeline binding by property name needs an instance property.")]
    public string Kind => "Secret";

    public override string ToString() => $"Secret/{Namespace}/{Name} ({Type}): {ConsumerCount} consumer(s), {ReaderCount} reader(s)";
}

/// <summary>One subject that may read one secret, and the grant that lets it.</summary>
public sealed record SecretAccess(string Namespace, string Secret, RbacSubject Subject, IReadOnlyList<string> Verbs, ResourceRef? Binding, ResourceRef? Role, string? Via)
{
    public string SubjectKind => Subject.Kind;
    public string SubjectName => Subject.Name;
    public string? SubjectNamespace => Subject.Namespace;

    public override string ToString() => $"{Subject} may {string.Join("/", Verbs)} Secret/{Namespace}/{Secret}{(Binding is null ? $" ({Via})" : $" via {Binding}")}";
}
