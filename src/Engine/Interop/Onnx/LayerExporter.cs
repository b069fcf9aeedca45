using Engine.Networks;

namespace Engine.Interop.Onnx;

/// <summary>
/// How one kind of layer becomes ONNX nodes. Exporters are found by <see cref="Registry{T}"/>, as the layer codecs are, so
/// exporting a new layer is one small class in a registered assembly, with no table to edit; the layers know nothing of ONNX.
/// </summary>
public abstract class LayerExporter : INamed
{
    /// <summary>The registry's key: the layer class's name in lower case.</summary>
    public string Name => LayerType.Name.ToLowerInvariant();

    /// <summary>The layer class this exporter writes.</summary>
    public abstract Type LayerType { get; }

    /// <summary>Adds the layer's nodes and constants to <paramref name="graph"/>.</summary>
    /// <param name="layer">A layer of <see cref="LayerType"/>.</param>
    /// <param name="input">The value the layer reads.</param>
    /// <param name="graph">The graph being built, its scope set to the layer's (<c>layers.{l}</c>).</param>
    /// <returns>The layer's output.</returns>
    public abstract OnnxValue Export(Layer layer, OnnxValue input, OnnxGraphBuilder graph);
}

/// <summary>An exporter for the layer class <typeparamref name="TLayer"/>.</summary>
/// <typeparam name="TLayer">The layer class.</typeparam>
public abstract class LayerExporter<TLayer> : LayerExporter where TLayer : Layer
{
    /// <inheritdoc/>
    public sealed override Type LayerType => typeof(TLayer);

    /// <inheritdoc/>
    public sealed override OnnxValue Export(Layer layer, OnnxValue input, OnnxGraphBuilder graph) => Export((TLayer)layer, input, graph);

    /// <summary>Adds the layer's nodes and constants.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="input">The value it reads.</param>
    /// <param name="graph">The graph being built.</param>
    protected abstract OnnxValue Export(TLayer layer, OnnxValue input, OnnxGraphBuilder graph);
}
