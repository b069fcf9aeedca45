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
}
