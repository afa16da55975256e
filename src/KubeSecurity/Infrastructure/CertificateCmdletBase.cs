using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Live;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// What the certificate cmdlets share: certificate files claimed from -Path, PKCS#12 passwords,
/// and (live) the kubeconfig's certificates and the API server's chain, gathered into one inventory.
/// </summary>
public abstract class CertificateCmdletBase : SnapshotInputCmdlet
{
    private static readonly string[] CertificateExtensions = { ".crt", ".cer", ".pem", ".der", ".p12", ".pfx", ".p7b", ".p7c" };

    /// <summary>The password of PKCS#12 files.</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    /// <summary>Live: read the certificates of every kubeconfig context, not only the one collected from.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter AllContexts { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds => Core.Audit.AuditAreas.Certificates.Kinds;

    protected override bool ClaimsFile(string path) =>
        CertificateExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every certificate of the snapshot, claimed files and (live) kubeconfig and server; problems are written as errors.</summary>
    internal List<CertificateInfo> CollectCertificates(KubeSnapshot snapshot, DateTimeOffset asOf)
    {
        var inventory = new CertificateInventory();
        inventory.AddSnapshot(snapshot);
        char[]? password = Password is null ? null : Reveal(Password);
        try
        {
            foreach (string file in ClaimedFiles)
            {
                WriteVerbose($"Reading certificates from {file}.");
                inventory.AddFile(file, password);
            }
        }
        finally
        {
            if (password is not null)
            {
                Array.Clear(password);
            }
        }

        if (ParameterSetName == LiveSet)
        {
            AddLiveSources(inventory, snapshot);
        }

        List<CertificateInfo> certificates = RunEngine((_, token) => Task.FromResult(inventory.Build(asOf, token)));
        foreach (CertificateProblem problem in inventory.Problems)
        {
            WriteCertificateProblem(problem);
        }

        if (inventory.RedactedValuesSkipped > 0)
        {
            WriteVerbose($"{inventory.RedactedValuesSkipped} secret value(s) in the snapshot are redacted fingerprints and were skipped (public certificates are kept when snapshots are saved).");
        }

        foreach (MissingKind missing in snapshot.MissingKinds.Where(m => RequiredKinds!.Contains(m.Kind)))
        {
            WriteWarning($"{missing.Kind} objects were not collected ({missing.Reason}); certificates held in them are not checked.");
        }

        WriteVerbose($"Found {certificates.Count} certificate(s); {inventory.Problems.Count} source(s) could not be read.");
        return certificates;
    }

    /// <summary>The CA certificates in the given files; an unreadable file is terminating.</summary>
    internal List<CertificateInfo> ReadCertificateAuthorities(IEnumerable<string> paths, DateTimeOffset asOf)
    {
        var inventory = new CertificateInventory();
        foreach (string path in paths)
        {
            inventory.AddFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), null);
        }

        foreach (CertificateProblem problem in inventory.Problems)
        {
            ThrowTerminatingError(new ErrorRecord(new InvalidDataException(problem.ToString()), "CertificateUnreadable", ErrorCategory.InvalidData, problem.Source));
        }

        return RunEngine((_, token) => Task.FromResult(inventory.Build(asOf, token))).Where(c => c.IsCertificateAuthority).ToList();
    }

    private void AddLiveSources(CertificateInventory inventory, KubeSnapshot snapshot)
    {
        LiveConnectionOptions connection = SnapshotAcquisition.LiveConnection(this, Kubeconfig, snapshot.Context, InCluster, SkipTlsVerify);
        foreach (string path in Core.Live.Kubeconfig.ResolvePaths(connection.KubeconfigPath))
        {
            WriteVerbose($"Reading kubeconfig certificates from {path}{(AllContexts ? " (all contexts)" : $" (context {snapshot.Context})")}.");
            inventory.AddKubeconfig(path, AllContexts ? null : snapshot.Context);
        }

        if (snapshot.Server is string server && Uri.TryCreate(server, UriKind.Absolute, out Uri? uri))
        {
            try
            {
                WriteVerbose($"Reading the certificate chain {uri.GetLeftPart(UriPartial.Authority)} presents (TLS handshake only).");
                RunEngine((_, token) => inventory.AddServerChainAsync(uri, TimeSpan.FromSeconds(10), token));
            }
            catch (KubeApiException ex)
            {
                WriteError(ApiError(ex, server));
            }
        }
    }

    private static char[] Reveal(SecureString secure)
    {
        IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            var chars = new char[secure.Length];
            Marshal.Copy(pointer, chars, 0, chars.Length);
            return chars;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
