using System.Text.Json.Nodes;
using Engine.Networks;

namespace Engine.Serialization.Codecs;

/// <summary>The pooling layers' settings: <c>{"input": [c, h, w], "size", "stride"}</c>; a subclass names the kind and builds its layer.</summary>
/// <typeparam name="TPool">The pooling layer.</typeparam>
public abstract class PoolCodec<TPool> : LayerCodec<TPool> where TPool : Pool2D
{
    /// <inheritdoc/>
    protected sealed override JsonObject Encode(TPool layer) => new()
    {
        ["input"] = LayerSettings.Encode(layer.InputShape),
        ["size"] = layer.Size,
        ["stride"] = layer.Stride,
    };

    /// <inheritdoc/>
    protected sealed override TPool DecodeLayer(LayerSettings settings) =>
        Create(settings.Image("input"), settings.PositiveInt("size"), settings.PositiveInt("stride"));

    /// <summary>The layer with the stored settings.</summary>
    /// <param name="input">The input image's shape.</param>
    /// <param name="size">Window side.</param>
    /// <param name="stride">Step between windows.</param>
    protected abstract TPool Create(ImageShape input, int size, int stride);
}
