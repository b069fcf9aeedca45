using Engine.Networks;

namespace Engine.Interop.Onnx.LayerExporters;

/// <summary>
/// A convolution: z = Conv(x, K, b) with K <c>[out, in, kh, kw]</c> as stored, <c>strides</c> [s, s] and explicit
/// <c>pads</c> [top, left, bottom, right] (ONNX's order: every axis's start, then every axis's end), so 'same' keeps its odd row or
/// column at the bottom and right; then σ.
/// </summary>
public sealed class Conv2DExporter : LayerExporter<Conv2D>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Conv2D layer, OnnxValue input, OnnxGraphBuilder graph)
    {
        var x = graph.Image(input, layer.InputShape);
        var (channels, height, width) = layer.OutputShape;
        string kernels = graph.Constant("weight", layer.Kernels, channels, layer.InputShape.Channels, layer.KernelHeight, layer.KernelWidth);
        string bias = graph.Constant("bias", layer.Biases, channels);
        var pad = layer.Pad;
        var z = graph.Node("Conv", [x.Name, kernels, bias], [channels, height, width],
            AttributeProto.Ints("kernel_shape", layer.KernelHeight, layer.KernelWidth),
            AttributeProto.Ints("strides", layer.Stride, layer.Stride),
            AttributeProto.Ints("pads", pad.Top, pad.Left, pad.Bottom, pad.Right));
        return graph.Activate(layer.Activation, z);
    }
}
