using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Utilities;

namespace KubeSecurity.Core.Certificates;

/// <summary>
/// Whether an EC private key's public point is a certificate's: the point d·G, derived by the
/// platform's cryptography for P-256, by BouncyCastle for every other curve.
/// </summary>
internal static class EcPublicPoint
{
    private const string P256 = "1.2.840.10045.3.1.7";

    public static bool Matches(ECPrivateKeyParameters key, ECPublicKeyParameters certificateKey)
    {
        Org.BouncyCastle.Math.EC.ECPoint expected = certificateKey.Q.Normalize();
        if (TryDeriveOnPlatform(key, out byte[]? x, out byte[]? y))
        {
            return expected.AffineXCoord.GetEncoded().AsSpan().SequenceEqual(x) && expected.AffineYCoord.GetEncoded().AsSpan().SequenceEqual(y);
        }

        return new FixedPointCombMultiplier().Multiply(key.Parameters.G, key.D).Normalize().Equals(expected);
    }

    /// <summary>
    /// BouncyCastle's field arithmetic allocates some 60–100 KB per multiplication, which thousands
    /// of TLS secrets turn into hundreds of megabytes; the platform derives a P-256 point in under a
    /// tenth of a millisecond without managed allocation. Only P-256 (cert-manager's and most
    /// clusters' EC default): OpenSSL 3.0 has no fast path for P-384, where it took 0.7 ms against
    /// BouncyCastle's 0.2. False for any other curve, or a scalar the platform refuses: the caller
    /// derives the point itself then.
    /// </summary>
    private static bool TryDeriveOnPlatform(ECPrivateKeyParameters key, out byte[]? x, out byte[]? y)
    {
        x = y = null;
        if (key.PublicKeyParamSet is not DerObjectIdentifier { Id: P256 } curve)
        {
            return false;
        }

        byte[]? scalar = null;
        try
        {
            scalar = BigIntegers.AsUnsignedByteArray((key.Parameters.Curve.FieldSize + 7) / 8, key.D);
            using ECDsa platform = ECDsa.Create();
            platform.ImportParameters(new ECParameters { Curve = ECCurve.CreateFromValue(curve.Id), D = scalar });
            ECPoint point = platform.ExportParameters(includePrivateParameters: false).Q;
            (x, y) = (point.X, point.Y);
            return x is not null && y is not null;
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException or ArgumentException)
        {
            return false;
        }
        finally
        {
            if (scalar is not null)
            {
                CryptographicOperations.ZeroMemory(scalar);
            }
        }
    }
}
