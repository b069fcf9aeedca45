namespace Engine.Kernels.Reference;

/// <summary>
/// The specification of <see cref="MatrixProducts"/>: each product as the plainest triple loop, one output at a time, its
/// terms summed in order of the shared index. The tests hold the optimized products to these (and to MathNet); read them to
/// know what a product computes, and <see cref="PackedProduct"/> to know how it is computed fast.
/// </summary>
/// <remarks>
/// The optimized products sum the same terms in another order (fused multiply-adds, blocks of the shared dimension), so they
/// agree with these to rounding, not bit for bit: within a small multiple of the unit roundoff times Σₚ|aₚ·bₚ|.
/// Shapes are checked as in <see cref="MatrixProducts"/>.
/// </remarks>
public static class NaiveProducts
{
    /// <summary><c>C[i, j] = α·Σₚ A[i, p]·B[j, p]</c>, plus <c>C[i, j]</c> when <paramref name="accumulate"/>: C = α·A·Bᵀ, the forward product Z = A·Wᵀ.</summary>
    /// <param name="a">A, m rows of k.</param>
    /// <param name="b">B, n rows of k.</param>
    /// <param name="c">C, m rows of n.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Rows of B, columns of C.</param>
    /// <param name="k">The shared dimension.</param>
    /// <param name="alpha">α.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void MultiplyTransposedB(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha = 1.0, bool accumulate = false)
    {
        Shapes(a.Length, m, k, b.Length, n, k, c.Length, m, n, k);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0.0;
                for (int p = 0; p < k; p++) sum += a[i * k + p] * b[j * k + p];
                Store(ref c[i * n + j], alpha * sum, accumulate);
            }
    }

    /// <summary><c>C[i, j] = α·Σₚ A[i, p]·B[p, j]</c>, plus <c>C[i, j]</c> when <paramref name="accumulate"/>: C = α·A·B, the backward product δ·W (BP2).</summary>
    /// <param name="a">A, m rows of k.</param>
    /// <param name="b">B, k rows of n.</param>
    /// <param name="c">C, m rows of n.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">The shared dimension.</param>
    /// <param name="alpha">α.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha = 1.0, bool accumulate = false)
    {
        Shapes(a.Length, m, k, b.Length, k, n, c.Length, m, n, k);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0.0;
                for (int p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
                Store(ref c[i * n + j], alpha * sum, accumulate);
            }
    }

    /// <summary><c>C[i, j] = α·Σₚ A[p, i]·B[p, j]</c>, plus <c>C[i, j]</c> when <paramref name="accumulate"/>: C = α·Aᵀ·B, the weight gradient δᵀ·A (BP4).</summary>
    /// <param name="a">A stored untransposed, k rows of m.</param>
    /// <param name="b">B, k rows of n.</param>
    /// <param name="c">C, m rows of n.</param>
    /// <param name="m">Columns of A, rows of C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">The shared dimension (rows of A and B).</param>
    /// <param name="alpha">α.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void MultiplyTransposedA(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha = 1.0, bool accumulate = false)
    {
        Shapes(a.Length, k, m, b.Length, k, n, c.Length, m, n, k);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0.0;
                for (int p = 0; p < k; p++) sum += a[p * m + i] * b[p * n + j];
                Store(ref c[i * n + j], alpha * sum, accumulate);
            }
    }

    private static void Store(ref double target, double product, bool accumulate) => target = accumulate ? target + product : product;

    /// <summary>The checks of <see cref="MatrixProducts"/>: non-negative m, n, k and each operand long enough for its stored shape.</summary>
    private static void Shapes(int lengthA, int rowsA, int columnsA, int lengthB, int rowsB, int columnsB, int lengthC, int m, int n, int k)
    {
        Guard.Dimensions(m, n, k);
        Guard.Matrix(lengthA, rowsA, columnsA, "a");
        Guard.Matrix(lengthB, rowsB, columnsB, "b");
        Guard.Matrix(lengthC, m, n, "c");
    }
}
