using System.Text;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// Whether bytes can hold a PEM block, decided without decoding: the loader uses it to note which
/// bodies a certificate search must read, the certificate inventory to skip values.
/// </summary>
internal static class PemMarkers
{
    /// <summary>
    /// "-----BEGIN " as it looks in base64 when it starts at each of the three byte offsets modulo 3:
    /// the characters that depend on the marker's bytes alone. Every PEM block inside a base64 value
    /// shows one of them, so values without any are not decoded at all.
    /// </summary>
    private static readonly byte[][] Base64Markers = Enumerable.Range(0, 3).Select(offset =>
    {
        byte[] marker = Encoding.ASCII.GetBytes("-----BEGIN ");
        byte[] encoded = Encoding.ASCII.GetBytes(Convert.ToBase64String(new byte[offset].Concat(marker).Concat(new byte[2]).ToArray()));
        int first = ((8 * offset) + 5) / 6;
        int end = 8 * (offset + marker.Length) / 6;
        return encoded[first..end];
    }).ToArray();

    public static bool MayHoldPemInBase64(ReadOnlySpan<byte> base64) =>
        base64.IndexOf(Base64Markers[0]) >= 0 || base64.IndexOf(Base64Markers[1]) >= 0 || base64.IndexOf(Base64Markers[2]) >= 0;
}
