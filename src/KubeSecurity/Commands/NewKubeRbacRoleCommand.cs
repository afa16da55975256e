using System.Management.Automation;
using KubeSecurity.Core.Rbac;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Generates the least-privilege Role/ClusterRole and bindings that cover exactly what a subject
/// did, from a Kubernetes audit log (JSON lines). The objects pipe to Export-KubeManifest.
/// </summary>
[Cmdlet(VerbsCommon.New, "KubeRbacRole", HelpUri = HelpLinks.Base + "New-KubeRbacRole.md")]
[OutputType(typeof(KubeObject))]
public sealed class NewKubeRbacRoleCommand : KubeCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "Path")]
    [ValidateNotNullOrEmpty]
    public string? AuditLog { get; set; }

    /// <summary>The user or service account whose requests to cover (User:NAME, ServiceAccount:NS/NAME, system:serviceaccount:NS:NAME).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.SubjectCompleter))]
    public string? Subject { get; set; }

    /// <summary>The name of the generated roles and bindings; derived from the subject when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Restrict get/update/patch/delete to the objects the subject touched (resourceNames).</summary>
    [Parameter]
    public SwitchParameter IncludeResourceNames { get; set; }

    protected override void ProcessRecord()
    {
        if (!RbacSubject.TryParse(Subject, out RbacSubject? subject) || subject!.Kind == RbacSubject.GroupKind)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{Subject}' is not a user or service account. Use User:NAME, ServiceAccount:NAMESPACE/NAME or system:serviceaccount:NAMESPACE:NAME."),
                ErrorIds.InvalidSubject, ErrorCategory.InvalidArgument, Subject));
            return;
        }

        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(AuditLog);
        if (!File.Exists(path))
        {
            WriteError(new ErrorRecord(new FileNotFoundException($"The audit log '{path}' does not exist.", path), ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, path));
            return;
        }

        string name = Name ?? DefaultName(subject);
        AuditLogRoleResult result = RunEngine((reporter, token) =>
        {
            reporter.Progress(new Core.Diagnostics.OperationProgress("Reading audit log", path, -1));
            using var reader = new StreamReader(path);
            AuditLogRoleResult generated = AuditLogRoleGenerator.Generate(reader, path, subject, name, IncludeResourceNames, token);
            reporter.Progress(new Core.Diagnostics.OperationProgress("Reading audit log", "Done", 100, Completed: true));
            return Task.FromResult(generated);
        });
        foreach (string problem in result.Problems)
        {
            WriteError(new ErrorRecord(new InvalidDataException(problem), ErrorIds.AuditLogLineInvalid, ErrorCategory.InvalidData, path));
        }

        WriteVerbose($"Read {result.Lines} line(s) of {path}: {result.Requests} request(s) by {subject} ({result.DeniedRequests} denied at the time), {result.Problems.Count} unusable line(s).");
        if (result.Requests == 0)
        {
            WriteWarning($"The audit log holds no requests by {subject} (user name '{subject.UserName}'); nothing was generated.");
        }

        WriteObject(result.Objects, enumerateCollection: true);
    }

    private static string DefaultName(RbacSubject subject)
    {
        string basis = subject.Kind == RbacSubject.ServiceAccountKind ? subject.Name : subject.Name.Split('@')[0];
        var chars = basis.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').ToArray();
        return new string(chars).Trim('-', '.') + "-observed";
    }
}
