using Engine.Kernels;

namespace Engine.Activations;

/// <summary>
/// Row-wise softmax: a_j = e^(z_j − m) / Σ_k e^(z_k − m) with m = max_k z_k (subtracting the maximum keeps every exponent ≤ 0);
/// vector-Jacobian product ∂C/∂z_j = a_j·(g_j − Σ_k a_k·g_k) for the cotangent g = ∂C/∂a.
/// </summary>
public sealed class Softmax : Activation
{
    /// <inheritdoc/>
    public override string Name => "softmax";

    /// <inheritdoc/>
    public override bool OutputsAreProbabilities => true;

    /// <inheritdoc/>
    public override bool OutputsSumToOne => true;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<double> z, Span<double> a, int width)
    {
        for (int row = 0; row < z.Length; row += width)
        {
            var zRow = z.Slice(row, width);
            var aRow = a.Slice(row, width);
            double max = double.NegativeInfinity;
            foreach (double v in zRow) max = Math.Max(max, v);
            VectorOps.Scale(aRow, 1.0 / VectorOps.ExpSum(zRow, max, aRow));
        }
    }

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<double> z, ReadOnlySpan<double> a, ReadOnlySpan<double> gradientA, Span<double> gradientZ, int width)
    {
        for (int row = 0; row < z.Length; row += width)
        {
            var aRow = a.Slice(row, width);
            var gRow = gradientA.Slice(row, width);
            double dot = 0;
            for (int j = 0; j < width; j++) dot += aRow[j] * gRow[j];
            for (int j = 0; j < width; j++) gradientZ[row + j] = aRow[j] * (gRow[j] - dot);
        }
    }
}
