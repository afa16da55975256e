using KubeSecurity.Model;
using Microsoft.Win32.SafeHandles;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// The file a large dump was loaded from, read back at offsets for the bodies left in it. The
/// handle opens on first use, shares the file with writers and deleters, and closes when the
/// snapshot is collected.
/// </summary>
internal sealed class FileBodySource : DetachedBodySource
{
    private readonly string path;
    private readonly object gate = new();
    private SafeFileHandle? handle;

    public FileBodySource(string path) => this.path = Path.GetFullPath(path);

    public override string Name => path;

    public override void Read(long offset, Span<byte> destination)
    {
        SafeFileHandle file = Handle();
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

    private SafeFileHandle Handle()
    {
        lock (gate)
        {
            return handle ??= File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
    }
}
