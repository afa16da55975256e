using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using KubeSecurity.Core.Certificates;
using KubeSecurity.Core.Live;
using KubeSecurity.Infrastructure;
using KubeSecurity.Model;

namespace KubeSecurity.Commands;

/// <summary>
/// Lists every certificate the cluster depends on, each with where it was found: TLS and other
/// secrets, CA bundles in ConfigMaps, webhook and APIService caBundles, issued CSRs, the kubeconfig
/// and the API server's own chain (live), and certificate files or folders (-Path).
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeCertificate", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(CertificateInfo))]
public sealed class GetKubeCertificateCommand : SnapshotInputCmdlet
{
    private static readonly string[] CertificateExtensions = { ".crt", ".cer", ".pem", ".der", ".p12", ".pfx", ".p7b", ".p7c" };

    /// <summary>Only certificates that expire within this many days (expired ones included).</summary>
    [Parameter]
    [ValidateRange(0, 36500)]
    public int? ExpiringWithinDays { get; set; }

    /// <summary>The password of PKCS#12 files.</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    /// <summary>Live: read the certificates of every kubeconfig context, not only the one collected from.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    public SwitchParameter AllContexts { get; set; }

    protected override IReadOnlyList<string>? RequiredKinds { get; } = new[]
    {
        "Secret", "ConfigMap", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "CertificateSigningRequest",
    };

    protected override bool ClaimsFile(string path) =>
        CertificateExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    protected override void ProcessSnapshot(KubeSnapshot snapshot)
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

        List<CertificateInfo> certificates = inventory.Build(DateTimeOffset.UtcNow);
        foreach (CertificateProblem problem in inventory.Problems)
        {
            WriteError(new ErrorRecord(new InvalidDataException(problem.ToString()), "CertificateUnreadable", ErrorCategory.InvalidData, problem.Source));
        }

        if (inventory.RedactedValuesSkipped > 0)
        {
            WriteVerbose($"{inventory.RedactedValuesSkipped} secret value(s) in the snapshot are redacted fingerprints and were skipped (public certificates are kept when snapshots are saved).");
        }

        foreach (MissingKind missing in snapshot.MissingKinds.Where(m => RequiredKinds!.Contains(m.Kind)))
        {
            WriteWarning($"{missing.Kind} objects were not collected ({missing.Reason}); certificates held in them are not listed.");
        }

        WriteVerbose($"Found {certificates.Count} certificate(s); {inventory.Problems.Count} source(s) could not be read.");
        IEnumerable<CertificateInfo> selected = ExpiringWithinDays is int days ? certificates.Where(c => c.DaysRemaining <= days) : certificates;
        foreach (CertificateInfo certificate in selected.OrderBy(c => c.NotAfter).ThenBy(c => c.Source, StringComparer.Ordinal))
        {
            WriteObject(certificate);
        }
    }

    private void AddLiveSources(CertificateInventory inventory, KubeSnapshot snapshot)
    {
        LiveConnectionOptions connection = SnapshotAcquisition.LiveConnection(this, Kubeconfig, Context, InCluster, SkipTlsVerify);
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
