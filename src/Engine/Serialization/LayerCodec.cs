using System.Text.Json.Nodes;
using Engine.Networks;

namespace Engine.Serialization;

/// <summary>
/// How one kind of layer is written into a model file's topology and read back: its settings as a JSON object, parameters
/// excluded (they are tensors). Codecs are found by <see cref="Registry{T}"/>, so a new layer is one file for its math and one
/// small codec here, with no table to edit; the layers themselves know no JSON.
/// </summary>
public abstract class LayerCodec : INamed
{
    /// <summary>The kind as stored in the topology's <c>type</c> field, e.g. <c>dense</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The layer class this codec writes and reads.</summary>
    public abstract Type LayerType { get; }

    /// <summary>The layer's settings (without <c>type</c>).</summary>
    /// <param name="layer">A layer of <see cref="LayerType"/>.</param>
    public abstract JsonObject Encode(Layer layer);

    /// <summary>The layer the settings describe, its parameters zero.</summary>
    /// <param name="settings">The stored settings.</param>
    /// <exception cref="FormatException">A setting is missing or malformed; the message names it.</exception>
    /// <exception cref="ArgumentException">The settings are well formed but describe an invalid layer.</exception>
    public abstract Layer Decode(LayerSettings settings);
}

/// <summary>A codec for the layer class <typeparamref name="TLayer"/>.</summary>
/// <typeparam name="TLayer">The layer class.</typeparam>
public abstract class LayerCodec<TLayer> : LayerCodec where TLayer : Layer
{
    /// <inheritdoc/>
    public sealed override Type LayerType => typeof(TLayer);

    /// <inheritdoc/>
    public sealed override JsonObject Encode(Layer layer) => Encode((TLayer)layer);

    /// <inheritdoc/>
    public sealed override Layer Decode(LayerSettings settings) => DecodeLayer(settings);

    /// <summary>The layer's settings.</summary>
    /// <param name="layer">The layer.</param>
    protected abstract JsonObject Encode(TLayer layer);

    /// <summary>The layer the settings describe.</summary>
    /// <param name="settings">The stored settings.</param>
    protected abstract TLayer DecodeLayer(LayerSettings settings);
}
