using System.Management.Automation;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// The one way the export cmdlets write a file: -Path/-LiteralPath resolved against the current
/// location, -NoClobber refuses an existing file, a read-only file needs -Force, ShouldProcess asks
/// first (so -WhatIf writes nothing), and the content goes to a temporary file that replaces the
/// target only once complete, so an interrupted or failed write never leaves a truncated file
/// (a previous report or snapshot stays intact). -PassThru returns the file as Get-Item does.
/// A file that holds secret values is created owner-only (0600 on Unix).
/// </summary>
internal static class OutputFile
{
    /// <summary>Returns true when the file was written; every refusal or failure is a non-terminating error.</summary>
    public static bool Write(PSCmdlet cmdlet, string target, bool force, bool noClobber, bool passThru, string action, Action<Stream> write, bool ownerOnly = false)
    {
        if (noClobber && File.Exists(target))
        {
            cmdlet.WriteError(new ErrorRecord(new IOException($"The file '{target}' already exists and -NoClobber was given; it was left unchanged."), ErrorIds.FileExists, ErrorCategory.ResourceExists, target));
            return false;
        }

        if (!cmdlet.ShouldProcess(target, action))
        {
            return false;
        }

        if (File.Exists(target) && (File.GetAttributes(target) & FileAttributes.ReadOnly) != 0 && !force)
        {
            cmdlet.WriteError(new ErrorRecord(new IOException($"The file '{target}' is read-only; use -Force to overwrite it."), ErrorIds.FileWriteFailed, ErrorCategory.PermissionDenied, target));
            return false;
        }

        string temporary = Path.Combine(Path.GetDirectoryName(target) ?? ".", $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (ownerOnly && !OperatingSystem.IsWindows())
            {
                // A file holding secret values is readable by its owner alone from the moment it exists (0600).
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (FileStream stream = ownerOnly && OperatingSystem.IsWindows() ? CreateOwnerOnlyOnWindows(temporary) : new(temporary, options))
            {
                write(stream);
            }

            if (force && File.Exists(target))
            {
                File.SetAttributes(target, FileAttributes.Normal);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(temporary);
            cmdlet.WriteError(new ErrorRecord(ex, ErrorIds.FileWriteFailed, ErrorCategory.WriteError, target));
            return false;
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }

        if (passThru)
        {
            // Through the provider, so the file shows with Mode, LastWriteTime and Length like Get-Item's.
            cmdlet.WriteObject(cmdlet.InvokeProvider.Item.Get(new[] { target }, force: true, literalPath: true), enumerateCollection: true);
        }

        return true;
    }

    /// <summary>
    /// On Windows, the counterpart of 0600: the file is created with an ACL that grants the current
    /// user alone full control and inherits nothing from the folder, so no moment exists in which
    /// others can read it.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    private static FileStream CreateOwnerOnlyOnWindows(string path)
    {
        using var identity = System.Security.Principal.WindowsIdentity.GetCurrent();
        var security = new System.Security.AccessControl.FileSecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        security.SetOwner(identity.User!);
        security.AddAccessRule(new System.Security.AccessControl.FileSystemAccessRule(identity.User!, System.Security.AccessControl.FileSystemRights.FullControl, System.Security.AccessControl.AccessControlType.Allow));
        return new FileInfo(path).Create(FileMode.CreateNew, System.Security.AccessControl.FileSystemRights.Write | System.Security.AccessControl.FileSystemRights.Read, FileShare.None, 4096, FileOptions.None, security);
    }

    /// <summary>The provider path of -Path or -LiteralPath (wildcards are not expanded: the file may not exist yet).</summary>
    public static string Resolve(PSCmdlet cmdlet, string path) => cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The write already failed and is reported; a leftover temporary file is harmless.
        }
    }
}
