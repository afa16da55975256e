using System.Text.Json;

namespace KubeSecurity.Core.Snapshots;

/// <summary>
/// Property lookups that cannot throw. JsonElement.TryGetProperty throws when the element is not an
/// object, and input written by hand or by an attacker puts a number, a string or a list where an
/// object belongs: a wrong shape then reads as a missing property, like JsonRead's helpers.
/// </summary>
internal static class JsonElementExtensions
{
    public static bool TryGet(this JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return element.TryGetProperty(name, out value);
        }

        value = default;
        return false;
    }

    /// <summary>The string, or null when the element is not a string.</summary>
    public static string? AsString(this JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    /// <summary>Whether the element is a string equal to the text (false for any other kind).</summary>
    public static bool IsText(this JsonElement element, string text) =>
        element.ValueKind == JsonValueKind.String && element.ValueEquals(text);

    /// <summary>Whether the element is a string equal to the UTF-8 text (false for any other kind).</summary>
    public static bool IsText(this JsonElement element, ReadOnlySpan<byte> utf8Text) =>
        element.ValueKind == JsonValueKind.String && element.ValueEquals(utf8Text);

    /// <summary>The number of items, or 0 when the element is not an array.</summary>
    public static int Count(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.GetArrayLength() : 0;

    public static bool TryGet(this JsonElement element, ReadOnlySpan<byte> utf8Name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return element.TryGetProperty(utf8Name, out value);
        }

        value = default;
        return false;
    }
}
