using System.Diagnostics;
using System.Management.Automation;
using KubeSecurity.Model;

namespace KubeSecurity.Module.Tests;

public class CertificateGenerationTests
{
    private static (int Exit, string Output) Openssl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [Fact]
    public void A_generated_ca_intermediate_and_leaves_verify_with_openssl_and_keys_are_owner_only()
    {
        string pki = ModuleSession.TempDirectory();
        using var session = new ModuleSession();
        session.Run("""
            $ca = New-KubeCertificate -Subject 'CN=gen-root, O=Gen' -CertificateAuthority -PathLength 1 -KeyAlgorithm RSA -KeySize 3072 -OutputDirectory $args[0]
            $int = $ca | New-KubeCertificate -Subject 'CN=gen-issuing' -CertificateAuthority -PathLength 0 -KeySize 384 -ValidDays 1000 -OutputDirectory $args[0]
            $int | New-KubeCertificate -Subject 'CN=api.gen.example' -DnsName api.gen.example -IPAddress 10.9.8.7, '2001:db8::7' -ValidDays 90 -OutputDirectory $args[0] -FileName server
            New-KubeCertificate -Subject 'CN=robot' -Usage Client -IssuerCertificatePath ([System.IO.Path]::Combine($args[0], 'gen-issuing.crt')) -IssuerKeyPath ([System.IO.Path]::Combine($args[0], 'gen-issuing.key')) -OutputDirectory $args[0]
            """, pki);
        Assert.Empty(session.Errors);

        string File(string name) => Path.Combine(pki, name);
        (int exit, string output) = Openssl("verify", "-CAfile", File("gen-root.crt"), "-untrusted", File("gen-issuing.crt"), File("server.crt"), File("robot.crt"));
        Assert.True(exit == 0, output);
        Assert.Contains("server.crt: OK", output, StringComparison.Ordinal);

        (_, string text) = Openssl("x509", "-in", File("server.crt"), "-noout", "-text");
        Assert.Contains("DNS:api.gen.example, IP Address:10.9.8.7, IP Address:2001:DB8:0:0:0:0:0:7", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication", text, StringComparison.Ordinal);
        (_, string rootText) = Openssl("x509", "-in", File("gen-root.crt"), "-noout", "-text");
        Assert.Contains("CA:TRUE, pathlen:1", rootText, StringComparison.Ordinal);
        Assert.Contains("Public-Key: (3072 bit)", rootText, StringComparison.Ordinal);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(File("server.key")));
        }

        (exit, output) = Openssl("pkey", "-in", File("server.key"), "-noout");
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void Tls_secrets_are_built_only_from_matching_keys_and_verifying_chains_and_the_key_is_never_displayed()
    {
        using var session = new ModuleSession();
        PSObject secret = session.Run("""
            $ca = New-KubeCertificate -Subject 'CN=secret-ca' -CertificateAuthority
            $ca | New-KubeCertificate -Subject 'CN=web' -DnsName web.example | New-KubeTlsSecret -Name web-tls -Namespace shop
            """).Single();
        KubeObject built = (KubeObject)secret.BaseObject;
        Assert.Equal(("Secret", "shop", "web-tls"), (built.Kind, built.Namespace, built.Name));
        Assert.Equal("kubernetes.io/tls", built.Json.GetProperty("type").GetString());

        // A key from another certificate is refused with a stable error id.
        string directory = ModuleSession.TempDirectory();
        session.Run("""
            $ca = New-KubeCertificate -Subject 'CN=mismatch-ca' -CertificateAuthority -OutputDirectory $args[0]
            $ca | New-KubeCertificate -Subject 'CN=a' -DnsName a -OutputDirectory $args[0]
            $ca | New-KubeCertificate -Subject 'CN=b' -DnsName b -OutputDirectory $args[0]
            $other = New-KubeCertificate -Subject 'CN=other-ca' -CertificateAuthority -OutputDirectory $args[0]
            """, directory);
        string Path1(string name) => Path.Combine(directory, name);
        session.Run("New-KubeTlsSecret -Name x -CertificatePath $args[0] -KeyPath $args[1]", Path1("a.crt"), Path1("b.key"));
        Assert.Equal("TlsKeyMismatch,KubeSecurity.Commands.NewKubeTlsSecretCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
        session.Run("New-KubeTlsSecret -Name x -CertificatePath $args[0] -KeyPath $args[1] -CaCertificatePath $args[2]", Path1("a.crt"), Path1("a.key"), Path1("other-ca.crt"));
        Assert.Equal("TlsMaterialInvalid,KubeSecurity.Commands.NewKubeTlsSecretCommand", Assert.Single(session.Errors).FullyQualifiedErrorId);
        Assert.Single(session.Run("New-KubeTlsSecret -Name x -CertificatePath $args[0] -KeyPath $args[1] -CaCertificatePath $args[2]", Path1("a.crt"), Path1("a.key"), Path1("mismatch-ca.crt")));

        // The generated object shows no key among its properties.
        List<string> properties = session.Run("(New-KubeCertificate -Subject 'CN=p').PSObject.Properties | ForEach-Object { $_.Name }").Select(p => p.ToString()).ToList();
        Assert.Contains("CertificatePem", properties);
        Assert.DoesNotContain(properties, p => p.Contains("Key", StringComparison.Ordinal) && p != "KeyPath");
    }

    [Fact]
    public void Invalid_requests_are_clear_errors_and_WhatIf_writes_nothing()
    {
        string directory = ModuleSession.TempDirectory();
        using var session = new ModuleSession();
        ErrorRecord size = session.RunExpectingTerminatingError("New-KubeCertificate -Subject 'CN=x' -KeyAlgorithm RSA -KeySize 256");
        Assert.Equal("InvalidCertificateRequest,KubeSecurity.Commands.NewKubeCertificateCommand", size.FullyQualifiedErrorId);
        Assert.Contains("2048, 3072 or 4096", size.Exception.Message, StringComparison.Ordinal);

        ErrorRecord outlives = session.RunExpectingTerminatingError("$ca = New-KubeCertificate -Subject 'CN=short' -CertificateAuthority -ValidDays 10; $ca | New-KubeCertificate -Subject 'CN=long' -ValidDays 400");
        Assert.Contains("outlive its issuer", outlives.Exception.Message, StringComparison.Ordinal);

        session.Run("New-KubeCertificate -Subject 'CN=whatif' -OutputDirectory $args[0] -WhatIf", directory);
        Assert.Empty(Directory.GetFiles(directory));
    }

    [Fact]
    public void Test_KubeCertificateRotation_reports_what_remains_and_ends_with_the_summary()
    {
        string pki = ModuleSession.TempDirectory();
        using var session = new ModuleSession();
        List<object> output = session.Run("""
            $old = New-KubeCertificate -Subject 'CN=rotating-ca' -CertificateAuthority -OutputDirectory $args[0] -FileName old-ca
            $new = New-KubeCertificate -Subject 'CN=rotating-ca' -CertificateAuthority -OutputDirectory $args[0] -FileName new-ca
            $old | New-KubeCertificate -Subject 'CN=legacy' -DnsName legacy.svc -OutputDirectory $args[0] | Out-Null
            $new | New-KubeCertificate -Subject 'CN=current' -DnsName current.svc -OutputDirectory $args[0] | Out-Null
            Test-KubeCertificateRotation -Path ([System.IO.Path]::Combine($args[0], 'legacy.crt')), ([System.IO.Path]::Combine($args[0], 'current.crt')), ([System.IO.Path]::Combine($args[0], 'old-ca.crt')) -NewCertificateAuthority ([System.IO.Path]::Combine($args[0], 'new-ca.crt')) -OldCertificateAuthority ([System.IO.Path]::Combine($args[0], 'old-ca.crt'))
            """, pki).Select(o => o.BaseObject).ToList();

        Assert.Empty(session.Errors);
        RotationSummary summary = Assert.IsType<RotationSummary>(output[^1]);
        Assert.False(summary.SafeToRemoveOldCa);
        List<Finding> findings = output.OfType<Finding>().ToList();
        Assert.Contains(findings, f => f.RuleId == "KSEC-ROT-001" && f.Name.EndsWith("legacy.crt", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.RuleId == "KSEC-ROT-003" && f.Name.EndsWith("old-ca.crt", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Name.EndsWith("current.crt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_creates_then_replaces_a_live_secret_returning_the_old_one_and_honours_WhatIf()
    {
        await using KubeSecurity.TestApiServer.KubeApiTestServer server = await KubeSecurity.TestApiServer.KubeApiTestServer.StartAsync(Array.Empty<System.Text.Json.Nodes.JsonObject>());
        string kubeconfig = server.WriteKubeconfig(Path.Combine(ModuleSession.TempDirectory(), "kubeconfig"));
        using var session = new ModuleSession();
        session.Run("$global:ca = New-KubeCertificate -Subject 'CN=apply-ca' -CertificateAuthority");

        session.Run("$ca | New-KubeCertificate -Subject 'CN=web' -DnsName web | New-KubeTlsSecret -Name web-tls -Namespace shop -Apply -Kubeconfig $args[0] -WhatIf", kubeconfig);
        Assert.Equal(0, server.Count("secrets"));

        ApplyResult created = (ApplyResult)session.Run("$ca | New-KubeCertificate -Subject 'CN=web' -DnsName web | New-KubeTlsSecret -Name web-tls -Namespace shop -Apply -Kubeconfig $args[0]", kubeconfig).Single().BaseObject;
        Assert.Equal(("Created", "Secret/shop/web-tls", "test-cert"), (created.Action, created.Resource.ToString(), created.Context));
        Assert.Null(created.Previous);

        ApplyResult replaced = (ApplyResult)session.Run("$ca | New-KubeCertificate -Subject 'CN=web-2' -DnsName web | New-KubeTlsSecret -Name web-tls -Namespace shop -Apply -Kubeconfig $args[0]", kubeconfig).Single().BaseObject;
        Assert.Equal("Replaced", replaced.Action);
        Assert.NotNull(replaced.Previous);
        Assert.Equal(created.Current.Json.GetProperty("data").GetProperty("tls.crt").GetString(), replaced.Previous!.Json.GetProperty("data").GetProperty("tls.crt").GetString());
        Assert.NotEqual(replaced.Previous.Json.GetProperty("data").GetProperty("tls.crt").GetString(), replaced.Current.Json.GetProperty("data").GetProperty("tls.crt").GetString());
        Assert.Equal(1, server.Count("secrets"));

        server.AddFault(new KubeSecurity.TestApiServer.Fault(403, "secrets"));
        session.Run("$ca | New-KubeCertificate -Subject 'CN=web-3' -DnsName web | New-KubeTlsSecret -Name web-tls -Namespace shop -Apply -Kubeconfig $args[0]", kubeconfig);
        ErrorRecord forbidden = Assert.Single(session.Errors);
        Assert.Equal("ApiForbidden,KubeSecurity.Commands.NewKubeTlsSecretCommand", forbidden.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, forbidden.CategoryInfo.Category);
        Assert.DoesNotContain("PRIVATE KEY", session.AllStreamText(), StringComparison.Ordinal);
    }
}
