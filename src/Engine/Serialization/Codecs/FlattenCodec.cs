using System.Text.Json.Nodes;
using Engine.Networks;

namespace Engine.Serialization.Codecs;

/// <summary><c>{"type": "flatten", "input": [c, h, w]}</c>.</summary>
public sealed class FlattenCodec : LayerCodec<Flatten>
{
    /// <inheritdoc/>
    public override string Name => "flatten";

    /// <inheritdoc/>
    protected override JsonObject Encode(Flatten layer) => new()
    {
        ["input"] = LayerSettings.Encode(layer.InputShape),
    };

    /// <inheritdoc/>
    protected override Flatten DecodeLayer(LayerSettings settings) => new(settings.Image("input"));
}
