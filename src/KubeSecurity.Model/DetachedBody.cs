using System.Buffers;
using System.Text.Json;

namespace KubeSecurity.Model;

/// <summary>Where detached bodies are read back from (a file the snapshot was loaded from).</summary>
internal abstract class DetachedBodySource
{
    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; throws when the bytes are no longer there.</summary>
    public abstract void Read(long offset, Span<byte> destination);

    /// <summary>The source as named in errors (the file's path).</summary>
    public abstract string Name { get; }
}

/// <summary>
/// One object's JSON left in its source: the span it was read from and a per-process keyed hash
/// of its bytes, so a file changed since loading is an error, never another object's data.
/// </summary>
internal sealed class DetachedBody
{
    // The bytes were parsed once already (with these allowances when the file needed them).
    private static readonly JsonDocumentOptions ReadBackOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 1024 };

    private readonly DetachedBodySource source;
    private readonly long offset;
    private readonly int length;
    private readonly int hash;
    private readonly string description;
    private readonly object gate = new();
    private WeakReference<JsonDocument>? independent;
    private JsonDocument? leased;
    private byte[]? leasedBuffer;
    private int leases;

    public DetachedBody(DetachedBodySource source, long offset, ReadOnlySpan<byte> bytes, string description, bool mayHoldCertificates = true)
    {
        MayHoldCertificates = mayHoldCertificates;
        this.source = source;
        this.offset = offset;
        length = bytes.Length;
        hash = Hash(bytes);
        this.description = description;
    }

    /// <summary>False when the loader saw no PEM marker (plain or base64, at any alignment) and no escape anywhere in the object.</summary>
    public bool MayHoldCertificates { get; }

    /// <summary>The object as a standalone document, kept while anything holds it.</summary>
    public JsonElement Load()
    {
        lock (gate)
        {
            if (independent is not null && independent.TryGetTarget(out JsonDocument? cached))
            {
                return cached.RootElement;
            }

            byte[] bytes = new byte[length];
            ReadVerified(bytes);
            JsonDocument document = JsonDocument.Parse(bytes, ReadBackOptions);
            if (independent is null)
            {
                independent = new WeakReference<JsonDocument>(document);
            }
            else
            {
                independent.SetTarget(document);
            }

            return document.RootElement;
        }
    }

    public JsonElement Acquire()
    {
        lock (gate)
        {
            if (leases == 0)
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    ReadVerified(buffer.AsSpan(0, length));
                    leased = JsonDocument.Parse(buffer.AsMemory(0, length), ReadBackOptions);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                leasedBuffer = buffer;
            }

            leases++;
            return leased!.RootElement;
        }
    }

    public void Release()
    {
        lock (gate)
        {
            if (--leases > 0)
            {
                return;
            }

            leased?.Dispose();
            if (leasedBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(leasedBuffer);
            }

            leased = null;
            leasedBuffer = null;
        }
    }

    private void ReadVerified(Span<byte> destination)
    {
        try
        {
            source.Read(offset, destination);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            throw new InvalidDataException($"{description} could not be read back from {source.Name}: {ex.Message} Load the file again.", ex);
        }

        if (Hash(destination) != hash)
        {
            throw new InvalidDataException($"{source.Name} changed after it was loaded: {description} can no longer be read from it. Load the file again.");
        }
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hasher = new HashCode();
        hasher.AddBytes(bytes);
        return hasher.ToHashCode();
    }
}

/// <summary>An object's whole JSON for the span of a <c>using</c> (see <see cref="KubeObject.OpenBody"/>).</summary>
internal readonly struct BodyLease : IDisposable
{
    private readonly DetachedBody? body;

    public BodyLease(JsonElement json, DetachedBody? body)
    {
        Json = json;
        this.body = body;
    }

    public JsonElement Json { get; }

    public void Dispose() => body?.Release();
}
