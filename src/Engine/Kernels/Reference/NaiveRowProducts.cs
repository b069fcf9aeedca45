namespace Engine.Kernels.Reference;

/// <summary>
/// The naive twin of <see cref="RowProducts"/>: one output at a time, with the same roundings (α times the rounded product; one
/// fused multiply-add per term in order), so that the exhaustive-shape test holds the kernels to it bit for bit.
/// </summary>
internal static class NaiveRowProducts
{
    /// <summary><c>C[i, j] = α·(a[i]·b[j] + 0)</c>, the product a fused multiply-add from 0.</summary>
    /// <param name="a">The column, m values.</param>
    /// <param name="b">The row, n values.</param>
    /// <param name="c">Receives C, m rows of n.</param>
    /// <param name="alpha">α.</param>
    public static void Outer(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, double alpha)
    {
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < b.Length; j++) c[i * b.Length + j] = alpha * Math.FusedMultiplyAdd(a[i], b[j], 0.0);
    }

    /// <summary><c>c[j] = Σₚ a[p]·B[p, j]</c>, one fused multiply-add per p in order from 0.</summary>
    /// <param name="a">The row, k values.</param>
    /// <param name="b">B, k rows of n.</param>
    /// <param name="c">Receives the n values of the product.</param>
    public static void RowTimesMatrix(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        for (int j = 0; j < c.Length; j++)
        {
            double sum = 0.0;
            for (int p = 0; p < a.Length; p++) sum = Math.FusedMultiplyAdd(a[p], b[p * c.Length + j], sum);
            c[j] = sum;
        }
    }

    /// <summary>W ← W − η·(δ[i]·x[j] + 0) element by element, as <see cref="Outer"/> and an SGD step round it, then z = W·next by
    /// the naive product.</summary>
    /// <param name="delta">δ, one per row of W.</param>
    /// <param name="input">x, one per column of W.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="weights">W, updated in place.</param>
    /// <param name="next">The vector W multiplies after the update.</param>
    /// <param name="z">Receives W·next.</param>
    public static void UpdateThenForward(ReadOnlySpan<double> delta, ReadOnlySpan<double> input, double learningRate, Span<double> weights,
        ReadOnlySpan<double> next, Span<double> z)
    {
        int m = delta.Length, n = input.Length;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                weights[i * n + j] = Math.FusedMultiplyAdd(-learningRate, Math.FusedMultiplyAdd(delta[i], input[j], 0.0), weights[i * n + j]);
        NaiveProducts.MultiplyTransposedB(next, weights, z, 1, m, n);
    }
}
