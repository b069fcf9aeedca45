using System.Text.Json.Nodes;
using Engine.Networks;

namespace Engine.Serialization.Codecs;

/// <summary>The settings the pooling layers share.</summary>
internal static class PoolSettings
{
    /// <summary><c>{"input": [c, h, w], "size", "stride"}</c>.</summary>
    public static JsonObject Encode(Pool2D layer) => new()
    {
        ["input"] = LayerSettings.Encode(layer.InputShape),
        ["size"] = layer.Size,
        ["stride"] = layer.Stride,
    };
}
