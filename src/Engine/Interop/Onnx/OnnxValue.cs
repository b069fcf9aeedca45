namespace Engine.Interop.Onnx;

/// <summary>
/// A tensor flowing through an exported graph: its name and the dimensions of one sample (the graph adds the batch dimension
/// <c>N</c> in front): <c>[n]</c> for a vector of features, <c>[c, h, w]</c> for an image.
/// </summary>
/// <param name="Name">The value's name in the graph.</param>
/// <param name="Dims">One sample's dimensions.</param>
public sealed record OnnxValue(string Name, IReadOnlyList<int> Dims)
{
    /// <summary>Values per sample: the product of <see cref="Dims"/>.</summary>
    public int Size => Dims.Aggregate(1, (product, d) => product * d);

    /// <summary>The shape with the batch dimension: <c>[N, dims…]</c>.</summary>
    public IReadOnlyList<OnnxDimension> BatchShape => [OnnxGraphBuilder.BatchSymbol, .. Dims.Select(d => (OnnxDimension)d)];
}
