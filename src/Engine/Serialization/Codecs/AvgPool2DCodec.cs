using Engine.Networks;

namespace Engine.Serialization.Codecs;

/// <summary><c>{"type": "avgpool2d", "input": [c, h, w], "size", "stride"}</c>.</summary>
public sealed class AvgPool2DCodec : PoolCodec<AvgPool2D>
{
    /// <inheritdoc/>
    public override string Name => "avgpool2d";

    /// <inheritdoc/>
    protected override AvgPool2D Create(ImageShape input, int size, int stride) => new(input, size, stride);
}
