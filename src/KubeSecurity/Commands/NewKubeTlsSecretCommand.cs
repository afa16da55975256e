using System.Management.Automation;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Builds a kubernetes.io/tls Secret from a certificate and key, after checking they match and chain to the CA.</summary>
[Cmdlet(VerbsCommon.New, "KubeTlsSecret", DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(KubeObject))]
public sealed class NewKubeTlsSecretCommand : KubeCmdletBase
{
    private const string ObjectSet = "Object";
    private const string FilesSet = "Files";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = "default";

    [Parameter(Mandatory = true, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GeneratedCertificate? Certificate { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string? KeyPath { get; set; }

    /// <summary>The CA the certificate must chain to; it is added to the secret as ca.crt.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CaCertificatePath { get; set; }

    protected override void ProcessRecord()
    {
        (string certificatePem, string keyPem) = ParameterSetName == ObjectSet
            ? (Certificate!.CertificatePem, Certificate.GetPrivateKeyPem())
            : (ReadText(CertificatePath!), ReadText(KeyPath!));
        string? caPem = CaCertificatePath is null ? null : ReadText(CaCertificatePath);
        try
        {
            KubeObject secret = TlsSecretBuilder.Build(Namespace, Name!, certificatePem, keyPem, caPem);
            WriteVerbose($"Built Secret {Namespace}/{Name} of type kubernetes.io/tls; the key matches the certificate{(caPem is null ? string.Empty : " and the chain verifies to the CA")}.");
            WriteObject(secret);
        }
        catch (TlsMaterialException ex)
        {
            WriteError(new ErrorRecord(ex, ex.KeyMismatch ? "TlsKeyMismatch" : "TlsMaterialInvalid", ErrorCategory.InvalidData, $"{Namespace}/{Name}"));
        }
    }

    private string ReadText(string path)
    {
        string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, full));
            throw;
        }
    }
}
