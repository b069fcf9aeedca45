using System.Text.Json.Nodes;
using Engine.Activations;

namespace Engine.Networks;

/// <summary>Rebuilds layers from their stored settings (<see cref="Layer.ToSpec"/>): one entry per layer kind.</summary>
public static class LayerSpec
{
    private static readonly Dictionary<string, Func<JsonObject, Registry<Activation>, Layer>> Kinds = new()
    {
        [Dense.Kind] = Dense.FromSpec,
        [Conv2D.Kind] = Conv2D.FromSpec,
        [MaxPool2D.KindName] = MaxPool2D.FromSpec,
        [AvgPool2D.KindName] = AvgPool2D.FromSpec,
        [Flatten.Kind] = Flatten.FromSpec,
    };

    /// <summary>The layer a spec describes.</summary>
    /// <param name="spec">A layer's settings, with a <c>type</c>.</param>
    /// <param name="activations">Where activation names are looked up.</param>
    /// <exception cref="FormatException">The spec is malformed or names an unknown kind.</exception>
    public static Layer Create(JsonObject spec, Registry<Activation> activations)
    {
        string type = String(spec, "type");
        if (!Kinds.TryGetValue(type, out var create))
            throw new FormatException($"Unknown layer type '{type}'; expected one of: {string.Join(", ", Kinds.Keys)}.");
        try { return create(spec, activations); }
        catch (ArgumentException e) { throw new FormatException($"Invalid {type} layer: {e.Message}", e); }
    }

    /// <summary>A positive integer setting.</summary>
    /// <param name="spec">The settings.</param>
    /// <param name="name">The setting's name.</param>
    public static int Int(JsonObject spec, string name) =>
        spec[name] is JsonValue value && value.TryGetValue(out int result) && result > 0
            ? result
            : throw new FormatException($"Layer setting '{name}' must be a positive integer, but is {spec[name]?.ToJsonString() ?? "missing"}.");

    /// <summary>A list of <paramref name="count"/> positive integers.</summary>
    /// <param name="spec">The settings.</param>
    /// <param name="name">The setting's name.</param>
    /// <param name="count">How many.</param>
    public static int[] Ints(JsonObject spec, string name, int count) =>
        spec[name] is JsonArray array && array.Count == count && array.All(v => v is JsonValue x && x.TryGetValue(out int i) && i > 0)
            ? array.Select(v => v!.GetValue<int>()).ToArray()
            : throw new FormatException($"Layer setting '{name}' must be {count} positive integers, but is {spec[name]?.ToJsonString() ?? "missing"}.");

    /// <summary>A string setting.</summary>
    /// <param name="spec">The settings.</param>
    /// <param name="name">The setting's name.</param>
    public static string String(JsonObject spec, string name) =>
        spec[name] is JsonValue value && value.TryGetValue(out string? result) && result is not null
            ? result
            : throw new FormatException($"Layer setting '{name}' must be a string, but is {spec[name]?.ToJsonString() ?? "missing"}.");
}
