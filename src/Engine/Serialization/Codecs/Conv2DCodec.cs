using System.Text.Json.Nodes;
using Engine.Networks;

namespace Engine.Serialization.Codecs;

/// <summary><c>{"type": "conv2d", "input": [c, h, w], "outChannels", "kernel": [kh, kw], "stride", "padding", "activation"}</c>.</summary>
public sealed class Conv2DCodec : LayerCodec<Conv2D>
{
    /// <inheritdoc/>
    public override string Name => "conv2d";

    /// <inheritdoc/>
    protected override JsonObject Encode(Conv2D layer) => new()
    {
        ["input"] = LayerSettings.Encode(layer.InputShape),
        ["outChannels"] = layer.OutputShape.Channels,
        ["kernel"] = new JsonArray(layer.KernelHeight, layer.KernelWidth),
        ["stride"] = layer.Stride,
        ["padding"] = layer.PaddingMode,
        ["activation"] = Components.Encode(layer.Activation),
    };

    /// <inheritdoc/>
    protected override Conv2D DecodeLayer(LayerSettings settings)
    {
        var (kernelHeight, kernelWidth) = settings.PositivePair("kernel");
        return new Conv2D(settings.Image("input"), settings.PositiveInt("outChannels"), kernelHeight, kernelWidth,
            settings.PositiveInt("stride"), settings.String("padding"), settings.Activation("activation"));
    }
}
