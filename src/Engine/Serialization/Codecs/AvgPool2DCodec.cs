using System.Text.Json.Nodes;
using Engine.Networks;

namespace Engine.Serialization.Codecs;

/// <summary><c>{"type": "avgpool2d", "input": [c, h, w], "size", "stride"}</c>.</summary>
public sealed class AvgPool2DCodec : LayerCodec<AvgPool2D>
{
    /// <inheritdoc/>
    public override string Name => "avgpool2d";

    /// <inheritdoc/>
    protected override JsonObject Encode(AvgPool2D layer) => PoolSettings.Encode(layer);

    /// <inheritdoc/>
    protected override AvgPool2D DecodeLayer(LayerSettings settings) =>
        new(settings.Image("input"), settings.PositiveInt("size"), settings.PositiveInt("stride"));
}
