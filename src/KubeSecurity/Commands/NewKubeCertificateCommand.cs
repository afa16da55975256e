using System.Management.Automation;
using System.Net;
using System.Text;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>Creates a self-signed CA, an intermediate CA, or a leaf signed by a CA; returns it and optionally writes PEM files.</summary>
[Cmdlet(VerbsCommon.New, "KubeCertificate", SupportsShouldProcess = true, DefaultParameterSetName = SelfSignedSet, HelpUri = HelpLinks.Base + "New-KubeCertificate.md")]
[OutputType(typeof(GeneratedCertificate))]
public sealed class NewKubeCertificateCommand : KubeCmdletBase
{
    private const string SelfSignedSet = "SelfSigned";
    private const string IssuerObjectSet = "IssuerObject";
    private const string IssuerFilesSet = "IssuerFiles";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Subject { get; set; }

    [Parameter]
    public SwitchParameter CertificateAuthority { get; set; }

    [Parameter]
    [ValidateRange(0, 10)]
    public int? PathLength { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IssuerObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GeneratedCertificate? Issuer { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IssuerFilesSet)]
    [ValidateNotNullOrEmpty]
    public string? IssuerCertificatePath { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IssuerFilesSet)]
    [ValidateNotNullOrEmpty]
    public string? IssuerKeyPath { get; set; }

    [Parameter]
    [ValidateSet("ECDSA", "RSA")]
    public string KeyAlgorithm { get; set; } = "ECDSA";

    /// <summary>RSA: 2048, 3072, 4096. ECDSA: 256 or 384. Default 2048 for RSA, 256 for ECDSA.</summary>
    [Parameter]
    [ValidateSet("256", "384", "2048", "3072", "4096")]
    public int? KeySize { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DnsName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IPAddress { get; set; }

    [Parameter]
    [ValidateSet("Server", "Client", "ServerAndClient")]
    public string Usage { get; set; } = "Server";

    /// <summary>Days of validity. Default 3650 for CAs, 365 for leaves.</summary>
    [Parameter]
    [ValidateRange(1, 36500)]
    public int? ValidDays { get; set; }

    /// <summary>Write &lt;FileName&gt;.crt and &lt;FileName&gt;.key (owner-only) here.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FileName { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var addresses = new List<IPAddress>();
        foreach (string text in IPAddress ?? Array.Empty<string>())
        {
            if (!System.Net.IPAddress.TryParse(text, out IPAddress? address))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{text}' is not an IP address."), "InvalidIPAddress", ErrorCategory.InvalidArgument, text));
            }

            addresses.Add(address!);
        }

        bool rsa = KeyAlgorithm == "RSA";
        var options = new CertificateRequestOptions
        {
            Subject = Subject!,
            IsCertificateAuthority = CertificateAuthority,
            PathLength = PathLength,
            KeyType = rsa ? GeneratedKeyType.Rsa : GeneratedKeyType.Ecdsa,
            KeySize = KeySize ?? (rsa ? 2048 : 256),
            DnsNames = DnsName ?? Array.Empty<string>(),
            IPAddresses = addresses,
            Usage = Enum.Parse<CertificateUsage>(Usage),
            ValidDays = ValidDays ?? (CertificateAuthority ? 3650 : 365),
        };

        // -WhatIf generates nothing: ask before the key is made, naming where it would go.
        (string Certificate, string Key)? files = OutputDirectory is null ? null : FilePaths();
        string target = files is { } paths ? $"{paths.Certificate} and {paths.Key}" : $"'{Subject}' (returned in memory)";
        string action = $"Generate a {(CertificateAuthority ? "CA" : "leaf")} certificate and private key ({KeyAlgorithm} {options.KeySize}, {options.ValidDays} days{(ParameterSetName == SelfSignedSet ? ", self-signed" : ", signed by the issuer")}){(files is null ? string.Empty : " and write them")}";
        if (!ShouldProcess(target, action))
        {
            return;
        }

        GeneratedCertificate generated;
        try
        {
            generated = CertificateGenerator.Generate(options, ReadIssuer());
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidCertificateRequest", ErrorCategory.InvalidArgument, Subject));
            return;
        }

        WriteVerbose($"Generated {(CertificateAuthority ? "CA" : "leaf")} certificate '{generated.Subject}' ({KeyAlgorithm} {options.KeySize}), valid until {generated.NotAfter:yyyy-MM-dd}, {(generated.Certificate.VerifiedBy is string issuer ? "signed by " + issuer : "self-signed")}.");
        WriteObject(files is { } written ? WriteFiles(generated, written.Certificate, written.Key) : generated);
    }

    private IssuerMaterial? ReadIssuer() => ParameterSetName switch
    {
        IssuerObjectSet => new IssuerMaterial(Issuer!.CertificatePem, Issuer.GetPrivateKeyPem()),
        IssuerFilesSet => new IssuerMaterial(ReadTextFile(IssuerCertificatePath!), ReadTextFile(IssuerKeyPath!)),
        _ => null,
    };


    private (string Certificate, string Key) FilePaths()
    {
        string directory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutputDirectory);
        string baseName = FileName ?? SafeName(Subject!);
        string certificatePath = Path.Combine(directory, baseName + ".crt");
        string keyPath = Path.Combine(directory, baseName + ".key");
        if (!Force && (File.Exists(certificatePath) || File.Exists(keyPath)))
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"{certificatePath} or {keyPath} already exists; use -Force to replace them."), ErrorIds.FileExists, ErrorCategory.ResourceExists, certificatePath));
        }

        return (certificatePath, keyPath);
    }

    private GeneratedCertificate WriteFiles(GeneratedCertificate generated, string certificatePath, string keyPath)
    {
        string directory = Path.GetDirectoryName(certificatePath)!;
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(certificatePath, generated.CertificatePem, new UTF8Encoding(false));

            // The key file is created owner-only from the start, never readable by others even briefly.
            File.Delete(keyPath);
            var keyOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                keyOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(keyPath, new UTF8Encoding(false), keyOptions))
            {
                writer.Write(generated.GetPrivateKeyPem());
            }

            WriteVerbose($"Wrote {certificatePath} and {keyPath} (owner-only).");
            return generated.WithPaths(certificatePath, keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.FileWriteFailed, ErrorCategory.WriteError, directory));
            throw;
        }
    }

    private static string SafeName(string subject)
    {
        // As the generator reads it: a bare name is the common name.
        string commonName = !subject.Contains('=', StringComparison.Ordinal) ? subject
            : subject.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("CN=", StringComparison.OrdinalIgnoreCase))?[3..] ?? "certificate";
        return new string(commonName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').ToArray());
    }
}
