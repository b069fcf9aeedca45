using System.Text.Json.Nodes;

namespace Engine.Cli;

/// <summary>One-line JSON for <c>--format json</c>: numbers in full precision (round-trip), absent values as null.</summary>
public static class Json
{
    /// <summary>A JSON object of the given properties, on one line.</summary>
    /// <param name="properties">Names and values (strings, numbers, nulls, nested nodes).</param>
    public static string Object(params (string Name, object? Value)[] properties) =>
        new JsonObject(properties.Select(p => KeyValuePair.Create(p.Name, Node(p.Value)))).ToJsonString();

    /// <summary>The JSON node of a value.</summary>
    /// <param name="value">A string, number, bool, node or null.</param>
    public static JsonNode? Node(object? value) => value switch
    {
        null => null,
        JsonNode node => node,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"No JSON form for {value.GetType().Name}.", nameof(value)),
    };
}
