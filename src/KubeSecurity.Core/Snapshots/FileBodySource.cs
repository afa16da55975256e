using KubeSecurity.Model;
using Microsoft.Win32.SafeHandles;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// The file a large dump was loaded from, read back at offsets for the bodies left in it. The
/// handle is opened while loading and kept until the snapshot is collected: an editor or script
/// that replaces the file (write elsewhere, then rename) or deletes it leaves the loaded content
/// readable; only rewriting the file in place is noticed, as a changed file.
/// </summary>
internal sealed class FileBodySource : DetachedBodySource, IDisposable
{
    private readonly string path;
    private readonly SafeFileHandle handle;

    public FileBodySource(string path)
    {
        this.path = Path.GetFullPath(path);
        handle = File.OpenHandle(this.path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    public override string Name => path;

    public override void Read(long offset, Span<byte> destination)
    {
        SafeFileHandle file = handle;
        int done = 0;
        while (done < destination.Length)
        {
            int read = RandomAccess.Read(file, destination[done..], offset + done);
            if (read == 0)
            {
                throw new IOException("the file is shorter than when it was loaded.");
            }

            done += read;
        }
    }

    /// <summary>Closes the file when no body was left in it.</summary>
    public void Dispose() => handle.Dispose();
}
