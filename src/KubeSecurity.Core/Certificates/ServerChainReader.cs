using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using KubeSecurity.Core.Live;
using Org.BouncyCastle.X509;

namespace KubeSecurity.Core.Certificates;

/// <summary>
/// The certificate chain a TLS server presents, read from a handshake alone (no HTTP request, no
/// credentials). The server's certificate is accepted whatever it is: this reads it, it does not trust it.
/// </summary>
public static class ServerChainReader
{
    public static async Task<IReadOnlyList<Org.BouncyCastle.X509.X509Certificate>> ReadAsync(Uri server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var presented = new List<byte[]>();
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(server.Host, server.Port, deadline.Token).ConfigureAwait(false);
            using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, chain, _) =>
            {
                if (certificate is not null)
                {
                    presented.Add(certificate.GetRawCertData());
                }

                // The intermediates the server sent arrive in the chain's extra store.
                foreach (X509Certificate2 extra in chain?.ChainPolicy.ExtraStore ?? new X509Certificate2Collection())
                {
                    presented.Add(extra.RawData);
                }

                return true;
            });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = server.Host }, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubeApiException(ApiFailure.Timeout, $"The TLS handshake with {server} did not finish within {timeout.TotalSeconds:0} s.", url: server.ToString());
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            throw new KubeApiException(ApiFailure.Unreachable, $"Cannot read the certificate chain of {server}: {ex.Message}", url: server.ToString(), inner: ex);
        }

        var parser = new X509CertificateParser();
        return presented.DistinctBy(Convert.ToHexString).Select(der => parser.ReadCertificate(der)).ToList();
    }
}
