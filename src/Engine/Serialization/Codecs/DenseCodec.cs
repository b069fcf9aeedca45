using System.Text.Json.Nodes;
using Engine.Networks;

namespace Engine.Serialization.Codecs;

/// <summary><c>{"type": "dense", "inputs": n, "outputs": m, "activation": σ}</c>.</summary>
public sealed class DenseCodec : LayerCodec<Dense>
{
    /// <inheritdoc/>
    public override string Name => "dense";

    /// <inheritdoc/>
    protected override JsonObject Encode(Dense layer) => new()
    {
        ["inputs"] = layer.InputSize,
        ["outputs"] = layer.OutputSize,
        ["activation"] = Components.Encode(layer.Activation),
    };

    /// <inheritdoc/>
    protected override Dense DecodeLayer(LayerSettings settings) =>
        new(settings.PositiveInt("inputs"), settings.PositiveInt("outputs"), settings.Activation("activation"));
}
