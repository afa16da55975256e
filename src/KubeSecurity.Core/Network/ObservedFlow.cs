using System.Globalization;
using System.Net;
using System.Text.Json;

namespace KubeSecurity.Core.Network;

/// <summary>
/// One observed connection: a source and destination (a workload as NAMESPACE/NAME or with kind and
/// namespace fields, or an address or CIDR outside the cluster) and the ports it used.
/// </summary>
public sealed record ObservedFlow(string? SourceKind, string? SourceNamespace, string Source, string? DestinationKind, string? DestinationNamespace, string Destination, PortSet Ports)
{
    public override string ToString() => $"{SourceNamespace}/{Source} -> {DestinationNamespace}/{Destination} {Ports}";

    /// <summary>
    /// Builds a flow from named fields (CSV columns, JSON properties, object properties): Source,
    /// Destination, and optionally SourceNamespace, DestinationNamespace, SourceKind,
    /// DestinationKind, Port and Protocol, or Ports (as Get-KubeConnectivityMap writes them).
    /// </summary>
    public static ObservedFlow FromFields(IReadOnlyDictionary<string, string?> fields)
    {
        string? Get(string name) => fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value is string v && v.Length > 0 ? v : null;
        (string? sourceNs, string source) = Split(Get("SourceNamespace"), Get("Source") ?? throw new FormatException("the flow has no Source"));
        (string? destinationNs, string destination) = Split(Get("DestinationNamespace"), Get("Destination") ?? throw new FormatException("the flow has no Destination"));
        PortSet ports;
        if (Get("Ports") is string list)
        {
            if (!PortSet.TryParse(list.Split(new[] { ' ', ',', ';' }, StringSplitOptions.RemoveEmptyEntries), out ports))
            {
                throw new FormatException($"Ports '{list}' is not a port list (TCP/443, UDP/53, TCP/8000-8080, any)");
            }
        }
        else if (Get("Port") is string port)
        {
            string protocol = (Get("Protocol") ?? "TCP").ToUpperInvariant();
            if (!PortSet.TryParse(new[] { $"{protocol}/{port}" }, out ports))
            {
                throw new FormatException($"Port '{port}' with protocol '{protocol}' is not a port (1-65535; TCP, UDP or SCTP)");
            }
        }
        else
        {
            ports = PortSet.All;
        }

        return new ObservedFlow(Get("SourceKind"), sourceNs, source, Get("DestinationKind"), destinationNs, destination, ports);
    }

    private static (string? Namespace, string Name) Split(string? ns, string value)
    {
        int slash = value.IndexOf('/', StringComparison.Ordinal);
        bool address = IPAddress.TryParse(slash > 0 ? value[..slash] : value, out _);
        return ns is null && slash > 0 && !address ? (value[..slash], value[(slash + 1)..]) : (ns, value);
    }

    /// <summary>Reads flows from a CSV file (with a header row) or a JSON file (an array of objects). Bad rows become problems.</summary>
    public static List<ObservedFlow> ReadFile(string path, List<string> problems)
    {
        var flows = new List<ObservedFlow>();
        string text = File.ReadAllText(path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith('['))
        {
            using JsonDocument document = JsonDocument.Parse(text);
            int index = 0;
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                index++;
                var fields = item.ValueKind == JsonValueKind.Object
                    ? item.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Array
                        ? string.Join(" ", p.Value.EnumerateArray().Select(v => v.ToString()))
                        : p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString(), StringComparer.OrdinalIgnoreCase)
                    : new Dictionary<string, string?>();
                Add(flows, problems, $"{path} item {index}", fields);
            }

            return flows;
        }

        string[] lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0)
        {
            return flows;
        }

        List<string> header = CsvFields(lines[0]);
        for (int i = 1; i < lines.Length; i++)
        {
            List<string> values = CsvFields(lines[i]);
            var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            for (int c = 0; c < header.Count && c < values.Count; c++)
            {
                fields[header[c]] = values[c];
            }

            Add(flows, problems, string.Create(CultureInfo.InvariantCulture, $"{path} line {i + 1}"), fields);
        }

        return flows;
    }

    private static void Add(List<ObservedFlow> flows, List<string> problems, string where, Dictionary<string, string?> fields)
    {
        try
        {
            flows.Add(FromFields(fields));
        }
        catch (FormatException ex)
        {
            problems.Add($"{where}: {ex.Message}; skipped.");
        }
    }

    private static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
