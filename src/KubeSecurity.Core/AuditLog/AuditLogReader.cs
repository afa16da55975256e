using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Core.AuditLog;

/// <summary>
/// Streams Kubernetes audit logs (JSON lines, plain or gzip): one event per line, a problem naming
/// the file and line for each line that is not JSON or not an audit event, and the reading goes on.
/// </summary>
public static class AuditLogReader
{
    private const int MaxLineLength = 4 * 1024 * 1024;

    /// <summary>Opens a log file, decompressing gzip (by content, not by name).</summary>
    public static TextReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        int first = stream.ReadByte();
        int second = stream.ReadByte();
        stream.Position = 0;
        return first == 0x1f && second == 0x8b ? new StreamReader(new GZipStream(stream, CompressionMode.Decompress)) : new StreamReader(stream);
    }

    public static IEnumerable<AuditEvent> Read(TextReader log, string source, List<string> problems, CancellationToken cancellationToken = default)
    {
        int number = 0;
        string? line;
        while ((line = log.ReadLine()) is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (line.Length > MaxLineLength)
            {
                problems.Add($"{source} line {number}: longer than {MaxLineLength / (1024 * 1024)} MiB; skipped.");
                continue;
            }

            AuditEvent? parsed = Parse(line, source, number, problems);
            if (parsed is not null)
            {
                yield return parsed;
            }
        }
    }

    private static AuditEvent? Parse(string line, string source, int number, List<string> problems)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 64 });
            JsonElement e = document.RootElement;
            string? verb = JsonRead.String(e, "verb");
            if (e.ValueKind != JsonValueKind.Object || verb is null || !e.TryGet("user"u8, out JsonElement user))
            {
                problems.Add($"{source} line {number}: not an audit event (no verb or user); skipped.");
                return null;
            }

            JsonElement objectRef = e.TryGet("objectRef"u8, out JsonElement o) && o.ValueKind == JsonValueKind.Object ? o : default;
            string? impersonated = e.TryGet("impersonatedUser"u8, out JsonElement i) && i.ValueKind == JsonValueKind.Object ? JsonRead.String(i, "username") : null;
            int? code = e.TryGet("responseStatus"u8, out JsonElement status) && status.TryGet("code"u8, out JsonElement c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
            string? time = JsonRead.String(e, "stageTimestamp") ?? JsonRead.String(e, "requestReceivedTimestamp");
            return new AuditEvent(
                time is not null && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t) ? t : null,
                JsonRead.String(e, "auditID"), JsonRead.String(e, "stage"), JsonRead.String(user, "username"), JsonRead.Strings(user, "groups"), impersonated,
                JsonRead.Strings(e, "sourceIPs"), JsonRead.String(e, "userAgent"), verb,
                JsonRead.String(objectRef, "apiGroup"), JsonRead.String(objectRef, "resource"), JsonRead.String(objectRef, "subresource"),
                JsonRead.String(objectRef, "namespace") is { Length: > 0 } ns ? ns : null, JsonRead.String(objectRef, "name"), JsonRead.String(e, "requestURI"), code);
        }
        catch (JsonException ex)
        {
            problems.Add($"{source} line {number}: not valid JSON ({ex.Message}); skipped.");
            return null;
        }
    }

    /// <summary>One event per request: the last stage logged for each audit id (events without an id pass through).</summary>
    public static IEnumerable<AuditEvent> OnePerRequest(IEnumerable<AuditEvent> events)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (AuditEvent e in events)
        {
            // ResponseComplete (or Panic) ends a request; earlier stages are dropped when a later one exists.
            if (e.AuditId is null || (e.Stage is "ResponseComplete" or "Panic" or null && seen.Add(e.AuditId)))
            {
                yield return e;
            }
        }
    }
}
