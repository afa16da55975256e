using System.Management.Automation;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Builds a kubernetes.io/tls Secret from a certificate and key, after checking they match and chain to the CA.</summary>
[Cmdlet(VerbsCommon.New, "KubeTlsSecret", DefaultParameterSetName = ObjectSet, SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "New-KubeTlsSecret.md")]
[OutputType(typeof(KubeObject), typeof(ApplyResult))]
public sealed class NewKubeTlsSecretCommand : LiveChangeCmdletBase
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

    /// <summary>Create the secret on the live cluster, or replace it (the previous version is returned as a backup).</summary>
    [Parameter]
    public SwitchParameter Apply { get; set; }

    protected override void ProcessRecord()
    {
        (string certificatePem, string keyPem) = ParameterSetName == ObjectSet
            ? (Certificate!.CertificatePem, Certificate.GetPrivateKeyPem())
            : (ReadTextFile(CertificatePath!), ReadTextFile(KeyPath!));
        string? caPem = CaCertificatePath is null ? null : ReadTextFile(CaCertificatePath);
        try
        {
            KubeObject secret = TlsSecretBuilder.Build(Namespace, Name!, certificatePem, keyPem, caPem);
            WriteVerbose($"Built Secret {Namespace}/{Name} of type kubernetes.io/tls; the key matches the certificate{(caPem is null ? string.Empty : " and the chain verifies to the CA")}.");
            if (Apply)
            {
                ApplyToCluster(secret);
            }
            else
            {
                WriteObject(secret);
            }
        }
        catch (TlsMaterialException ex)
        {
            WriteError(new ErrorRecord(ex, ex.KeyMismatch ? "TlsKeyMismatch" : "TlsMaterialInvalid", ErrorCategory.InvalidData, $"{Namespace}/{Name}"));
        }
    }

    private void ApplyToCluster(KubeObject secret)
    {
        try
        {
            if (!ShouldProcess($"Secret {Namespace}/{Name} on {ClusterName}", "Create or replace TLS secret"))
            {
                return;
            }

            ApplyResult result = RunEngine((_, token) => Core.Live.ObjectApplier.ApplyAsync(Connection, secret, token));
            WriteVerbose($"{result.Action} Secret {Namespace}/{Name} on {Connection.Server}{(result.Previous is null ? string.Empty : "; the previous version is in the output's Previous property")}.");
            WriteObject(result);
        }
        catch (Core.Live.KubeApiException ex)
        {
            if (!WhatIfWithoutCluster(ex, $"Secret {Namespace}/{Name}", "Create or replace TLS secret"))
            {
                WriteError(ApiError(ex, $"{Namespace}/{Name}"));
            }
        }
    }
}
