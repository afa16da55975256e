using System.Text;
using System.Text.Json.Nodes;
using KubeSecurity.Model;
using Org.BouncyCastle.X509;

namespace KubeSecurity.Core.Certificates;

/// <summary>A certificate, key and CA that do not fit together, said plainly.</summary>
public sealed class TlsMaterialException(string message, bool keyMismatch) : Exception(message)
{
    public bool KeyMismatch { get; } = keyMismatch;
}

/// <summary>Builds kubernetes.io/tls Secrets, refusing a key that does not match or a chain that does not verify.</summary>
public static class TlsSecretBuilder
{
    public static KubeObject Build(string ns, string name, string certificatePem, string keyPem, string? caPem)
    {
        List<X509Certificate> chain = CertificateReader.Read(Encoding.ASCII.GetBytes(certificatePem)).Certificates;
        X509Certificate leaf = chain.FirstOrDefault() ?? throw new TlsMaterialException("The certificate input holds no certificate.", false);
        switch (PrivateKeyMatcher.Check(Encoding.ASCII.GetBytes(keyPem), leaf))
        {
            case KeyMatch.Matches:
                break;
            case KeyMatch.Encrypted:
                throw new TlsMaterialException("The private key is encrypted; Kubernetes TLS secrets need an unencrypted key.", false);
            case KeyMatch.Unreadable:
                throw new TlsMaterialException("The private key could not be read (expected PKCS#1, PKCS#8 or SEC1 PEM).", false);
            case KeyMatch.Unsupported:
                throw new TlsMaterialException("The private key is of a type that cannot be checked against the certificate (RSA, EC and Ed25519 can).", false);
            default:
                throw new TlsMaterialException($"The private key is not the key of the certificate '{CertificateDescriber.FormatName(leaf.SubjectDN)}'.", true);
        }

        if (caPem is not null)
        {
            List<X509Certificate> authorities = CertificateReader.Read(Encoding.ASCII.GetBytes(caPem)).Certificates;
            if (authorities.Count == 0)
            {
                throw new TlsMaterialException("The CA input holds no certificate.", false);
            }

            if (!ChainVerifier.VerifiesTo(leaf, chain.Skip(1).ToList(), authorities))
            {
                throw new TlsMaterialException($"'{CertificateDescriber.FormatName(leaf.SubjectDN)}' does not chain to the given CA ({string.Join("; ", authorities.Select(a => CertificateDescriber.FormatName(a.SubjectDN)))}).", false);
            }
        }

        var data = new JsonObject
        {
            ["tls.crt"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificatePem)),
            ["tls.key"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(keyPem)),
        };
        if (caPem is not null)
        {
            data["ca.crt"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem));
        }

        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["type"] = "kubernetes.io/tls",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["data"] = data,
        };
        return KubeObject.Create(System.Text.Json.JsonDocument.Parse(secret.ToJsonString()).RootElement, "generated");
    }
}
