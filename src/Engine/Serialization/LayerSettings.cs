using System.Text.Json.Nodes;
using Engine.Activations;
using Engine.Networks;

namespace Engine.Serialization;

/// <summary>A layer's stored settings with typed, checked reads: each failure names the setting and what it holds.</summary>
/// <param name="Json">The settings object.</param>
/// <param name="Activations">Where activation names are looked up.</param>
public sealed record LayerSettings(JsonObject Json, Registry<Activation> Activations)
{
    /// <summary>A positive integer setting.</summary>
    /// <param name="name">The setting's name.</param>
    public int PositiveInt(string name) =>
        Json[name] is JsonValue value && value.TryGetValue(out int result) && result > 0
            ? result
            : throw Malformed(name, "a positive integer");

    /// <summary>An image shape stored as <c>[channels, height, width]</c>.</summary>
    /// <param name="name">The setting's name.</param>
    public ImageShape Image(string name) =>
        Json[name] is JsonArray array && array.Count == 3 && array.All(v => v is JsonValue x && x.TryGetValue(out int i) && i > 0)
            ? new ImageShape(array[0]!.GetValue<int>(), array[1]!.GetValue<int>(), array[2]!.GetValue<int>())
            : throw Malformed(name, "3 positive integers");

    /// <summary>The stored form of an image shape, <c>[channels, height, width]</c>, as <see cref="Image"/> reads it.</summary>
    /// <param name="shape">The shape.</param>
    public static JsonArray Encode(ImageShape shape) => new(shape.Channels, shape.Height, shape.Width);

    /// <summary>A pair of positive integers, e.g. a kernel's <c>[height, width]</c>.</summary>
    /// <param name="name">The setting's name.</param>
    public (int First, int Second) PositivePair(string name) =>
        Json[name] is JsonArray array && array.Count == 2 && array.All(v => v is JsonValue x && x.TryGetValue(out int i) && i > 0)
            ? (array[0]!.GetValue<int>(), array[1]!.GetValue<int>())
            : throw Malformed(name, "2 positive integers");

    /// <summary>A string setting.</summary>
    /// <param name="name">The setting's name.</param>
    public string String(string name) =>
        Json[name] is JsonValue value && value.TryGetValue(out string? result) && result is not null
            ? result
            : throw Malformed(name, "a string");

    /// <summary>An activation stored by <see cref="Components.Encode"/>: its name, or its name and hyperparameters.</summary>
    /// <param name="name">The setting's name.</param>
    public Activation Activation(string name) => Components.Decode(Json[name], Activations, $"Layer setting '{name}'");

    /// <summary>The <see cref="FormatException"/> for a setting that is not what it should be.</summary>
    private FormatException Malformed(string name, string expected) =>
        new($"Layer setting '{name}' must be {expected}, but is {Json[name]?.ToJsonString() ?? "missing"}.");
}
