using System.Text;
using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Utilities.IO.Pem;

namespace KubeSecurity.Core.Certificates;

/// <summary>Decodes the PKCS#10 request inside each CertificateSigningRequest (BouncyCastle) and reads its status.</summary>
public static class CsrReader
{
    public static (List<CertificateSigningRequestInfo> Requests, List<CertificateProblem> Problems) Read(KubeSnapshot snapshot, DateTimeOffset asOf)
    {
        var requests = new List<CertificateSigningRequestInfo>();
        var problems = new List<CertificateProblem>();
        foreach (KubeObject csr in snapshot.OfKind("CertificateSigningRequest"))
        {
            try
            {
                requests.Add(Describe(csr, asOf));
            }
            catch (Exception ex) when (ex is FormatException or IOException or ArgumentException or InvalidCastException or PemGenerationException or Org.BouncyCastle.Asn1.Asn1Exception or InvalidOperationException)
            {
                problems.Add(new CertificateProblem($"CertificateSigningRequest {csr.Name} spec.request", $"the request could not be decoded: {ex.Message}"));
            }
        }

        return (requests, problems);
    }

    private static CertificateSigningRequestInfo Describe(KubeObject csr, DateTimeOffset asOf)
    {
        JsonElement spec = csr.Json.TryGet("spec"u8, out JsonElement s) ? s : default;
        string requestText = Encoding.ASCII.GetString(Convert.FromBase64String(JsonRead.String(spec, "request") ?? throw new FormatException("spec.request is missing")));
        PemObject? pem = new PemReader(new StringReader(requestText)).ReadPemObject();
        var request = new Pkcs10CertificationRequest(pem?.Content ?? throw new FormatException("spec.request holds no PEM block"));
        CertificationRequestInfo info = request.GetCertificationRequestInfo();
        X509Name subject = info.Subject;
        (string algorithm, int? size, string? curve) = CertificateDescriber.DescribeKey(request.GetPublicKey());

        return new CertificateSigningRequestInfo(
            csr.Name,
            CertificateDescriber.FormatName(subject),
            subject.GetValueList(X509Name.CN).FirstOrDefault(),
            CertificateDescriber.Organizations(subject),
            SubjectAlternativeNames(info),
            algorithm,
            size,
            curve,
            JsonRead.String(spec, "signerName") ?? "(none)",
            JsonRead.Strings(spec, "usages"),
            Condition(csr.Json),
            csr.CreationTimestamp,
            asOf,
            JsonRead.String(spec, "username"),
            JsonRead.Strings(spec, "groups"),
            csr.Json.TryGet("status"u8, out JsonElement status) && !string.IsNullOrEmpty(JsonRead.String(status, "certificate")));
    }

    /// <summary>Failed, Denied, Approved or Pending, in that precedence (an approved request can still fail to be signed).</summary>
    private static string Condition(JsonElement csr)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (csr.TryGet("status"u8, out JsonElement status) && status.TryGet("conditions"u8, out JsonElement conditions) && conditions.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement condition in conditions.EnumerateArray())
            {
                if (JsonRead.String(condition, "type") is string type && !string.Equals(JsonRead.String(condition, "status"), "False", StringComparison.OrdinalIgnoreCase))
                {
                    present.Add(type);
                }
            }
        }

        return new[] { "Failed", "Denied", "Approved" }.FirstOrDefault(present.Contains) ?? "Pending";
    }

    private static List<string> SubjectAlternativeNames(CertificationRequestInfo info)
    {
        var names = new List<string>();
        if (info.Attributes is null)
        {
            return names;
        }

        foreach (Asn1Encodable encodable in info.Attributes)
        {
            var attribute = AttributePkcs.GetInstance(encodable);
            if (!attribute.AttrType.Equals(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest))
            {
                continue;
            }

            X509Extensions extensions = X509Extensions.GetInstance(attribute.AttrValues[0]);
            X509Extension? san = extensions.GetExtension(X509Extensions.SubjectAlternativeName);
            if (san is null)
            {
                continue;
            }

            foreach (GeneralName name in GeneralNames.GetInstance(san.GetParsedValue()).GetNames())
            {
                names.Add(name.TagNo switch
                {
                    GeneralName.DnsName => "DNS:" + name.Name,
                    GeneralName.IPAddress => "IP Address:" + FormatIp(Asn1OctetString.GetInstance(name.Name).GetOctets()),
                    GeneralName.UniformResourceIdentifier => "URI:" + name.Name,
                    GeneralName.Rfc822Name => "email:" + name.Name,
                    _ => "othername:" + name.Name,
                });
            }
        }

        return names;
    }

    private static string FormatIp(byte[] bytes) => new System.Net.IPAddress(bytes).ToString();

}
