using Engine.Networks;

namespace Engine.Serialization.Codecs;

/// <summary><c>{"type": "maxpool2d", "input": [c, h, w], "size", "stride"}</c>.</summary>
public sealed class MaxPool2DCodec : PoolCodec<MaxPool2D>
{
    /// <inheritdoc/>
    public override string Name => "maxpool2d";

    /// <inheritdoc/>
    protected override MaxPool2D Create(ImageShape input, int size, int stride) => new(input, size, stride);
}
