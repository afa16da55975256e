using System.Diagnostics.Tracing;

namespace KubeSecurity.Benchmarks;

/// <summary>
/// The runtime's sampled allocation events (one about every 100 KB), summed by type: which types a
/// step allocates, when the byte count alone does not say where to look.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> byType = new(StringComparer.Ordinal);
    private readonly object gate = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null)
        {
            return;
        }

        int typeAt = e.PayloadNames.IndexOf("TypeName");
        int amountAt = e.PayloadNames.IndexOf("AllocationAmount64");
        if (typeAt < 0 || amountAt < 0 || e.Payload is null)
        {
            return;
        }

        string type = e.Payload[typeAt] as string ?? "?";
        long amount = Convert.ToInt64(e.Payload[amountAt]);
        lock (gate)
        {
            byType[type] = byType.GetValueOrDefault(type) + amount;
        }
    }

    /// <summary>The largest types since the last call, then starts counting again.</summary>
    public string TakeTop(int count)
    {
        lock (gate)
        {
            string text = string.Join("; ", byType.OrderByDescending(p => p.Value).Take(count).Select(p => $"{Shorten(p.Key)} {p.Value / 1048576.0:N0}"));
            byType.Clear();
            return text;
        }
    }

    private static string Shorten(string type) =>
        type.Replace("System.Collections.Generic.", string.Empty, StringComparison.Ordinal)
            .Replace("System.", string.Empty, StringComparison.Ordinal)
            .Replace("KubeSecurity.Core.", string.Empty, StringComparison.Ordinal)
            .Replace("KubeSecurity.Model.", string.Empty, StringComparison.Ordinal)
            .Replace("Org.BouncyCastle.", "BC.", StringComparison.Ordinal);
}
