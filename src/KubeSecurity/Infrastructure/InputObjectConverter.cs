using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using KubeSecurity.Core.Snapshots;
using KubeSecurity.Model;

namespace KubeSecurity.Infrastructure;

/// <summary>
/// Turns what users pipe in (KubeObjects, YAML/JSON text, hashtables) into KubeObjects.
/// Conversion of PowerShell values belongs here, not in the engine.
/// </summary>
internal static class InputObjectConverter
{
    public static IReadOnlyList<KubeObject> Convert(object? input, out string? problem)
    {
        problem = null;
        object? value = input is PSObject wrapped ? wrapped.BaseObject : input;
        switch (value)
        {
            case KubeObject kubeObject:
                return new[] { kubeObject };
            case string text:
                var result = new ManifestReadResult();
                new ManifestReader().ReadBytes(Encoding.UTF8.GetBytes(text), "input text", result);
                problem = result.Problems.Count > 0 ? string.Join("; ", result.Problems.Select(p => p.ToString())) : null;
                return result.Objects;
            case IDictionary or PSCustomObject:
                using (var stream = new MemoryStream())
                {
                    using (var writer = new Utf8JsonWriter(stream))
                    {
                        WriteValue(writer, input, 0);
                    }

                    JsonDocument document = JsonDocument.Parse(stream.ToArray());
                    if (KubeObject.TryCreate(document.RootElement, "pipeline", out KubeObject? created, out problem))
                    {
                        return new[] { created! };
                    }
                }

                return Array.Empty<KubeObject>();
            default:
                problem = $"a {value?.GetType().Name ?? "null"} is not a Kubernetes object (pipe KubeObjects, YAML/JSON text or hashtables)";
                return Array.Empty<KubeObject>();
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > 64)
        {
            throw new InvalidDataException("the object nests more than 64 levels deep");
        }

        object? baseValue = value is PSObject ps ? ps.BaseObject : value;
        switch (baseValue)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                writer.WriteNumberValue(System.Convert.ToInt64(baseValue, CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                writer.WriteNumberValue(System.Convert.ToDouble(baseValue, CultureInfo.InvariantCulture));
                break;
            case DateTime or DateTimeOffset:
                writer.WriteStringValue(System.Convert.ToDateTime(baseValue is DateTimeOffset dto ? dto.UtcDateTime : baseValue, CultureInfo.InvariantCulture).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(entry.Key.ToString() ?? string.Empty);
                    WriteValue(writer, entry.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (object? item in sequence)
                {
                    WriteValue(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case PSCustomObject when value is PSObject custom:
                writer.WriteStartObject();
                foreach (PSPropertyInfo property in custom.Properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteValue(writer, property.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(baseValue.ToString());
                break;
        }
    }
}
