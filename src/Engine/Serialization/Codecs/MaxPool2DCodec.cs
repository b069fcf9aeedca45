using System.Text.Json.Nodes;
using Engine.Networks;

namespace Engine.Serialization.Codecs;

/// <summary><c>{"type": "maxpool2d", "input": [c, h, w], "size", "stride"}</c>.</summary>
public sealed class MaxPool2DCodec : LayerCodec<MaxPool2D>
{
    /// <inheritdoc/>
    public override string Name => "maxpool2d";

    /// <inheritdoc/>
    protected override JsonObject Encode(MaxPool2D layer) => PoolSettings.Encode(layer);

    /// <inheritdoc/>
    protected override MaxPool2D DecodeLayer(LayerSettings settings) =>
        new(settings.Image("input"), settings.PositiveInt("size"), settings.PositiveInt("stride"));
}
