using Engine.Networks;

namespace Engine.Interop.Onnx.LayerExporters;

/// <summary>Pooling: the ONNX operator of the subclass with <c>kernel_shape</c> [size, size], <c>strides</c> [s, s], no padding and floor rounding (ceil_mode 0).</summary>
/// <typeparam name="TPool">The pooling layer.</typeparam>
/// <param name="opType">The ONNX operator.</param>
public abstract class PoolExporter<TPool>(string opType) : LayerExporter<TPool> where TPool : Pool2D
{
    /// <inheritdoc/>
    protected sealed override OnnxValue Export(TPool layer, OnnxValue input, OnnxGraphBuilder graph)
    {
        var x = graph.Image(input, layer.InputShape);
        var (channels, height, width) = layer.OutputShape;
        return graph.Node(opType, [x.Name], [channels, height, width],
            AttributeProto.Ints("kernel_shape", layer.Size, layer.Size),
            AttributeProto.Ints("strides", layer.Stride, layer.Stride));
    }
}

/// <summary>Max pooling: <c>MaxPool</c>.</summary>
public sealed class MaxPool2DExporter() : PoolExporter<MaxPool2D>("MaxPool");

/// <summary>Average pooling: <c>AveragePool</c> (no padding, so every window averages size² values, as the engine).</summary>
public sealed class AvgPool2DExporter() : PoolExporter<AvgPool2D>("AveragePool");
