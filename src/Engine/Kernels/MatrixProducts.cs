using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels;

/// <summary>
/// The three matrix products a dense layer needs, on row-major spans:
/// forward <c>Z = A·Wᵀ</c>, backward <c>δ_prev = δ·W</c> and weight gradient <c>∂W = δᵀ·A</c>.
/// </summary>
/// <remarks>
/// Two loop shapes serve the three products. <see cref="MultiplyTransposedB"/> is a dot-product shape,
/// vectorized along the shared dimension k (both operands are contiguous there).
/// <see cref="Multiply"/> and <see cref="MultiplyTransposedA"/> are one axpy shape over a strided left operand,
/// vectorized along the columns of the right operand. Both shapes keep eight independent
/// <see cref="Vector{T}"/> accumulators in registers (two rows by four columns, enough to cover the FMA
/// latency) and block the shared dimension so that the reused panel stays in the L1 cache.
/// Every output is a fixed-order sum over k, so results do not depend on how callers split rows or columns.
/// </remarks>
public static class MatrixProducts
{
    /// <summary>Rows of the shared dimension processed per cache block (a 16-column panel of 128 rows is 16 KiB).</summary>
    private const int SharedBlock = 128;

    private static int Lanes => Vector<double>.Count;

    /// <summary><c>C[m×n] = α·A[m×k]·B[n×k]ᵀ</c>, added to C when <paramref name="accumulate"/> is true. The forward product Z = A·Wᵀ.</summary>
    /// <param name="a">Left operand, m rows of k.</param>
    /// <param name="b">Right operand stored by rows, n rows of k (W in [out, in] storage).</param>
    /// <param name="c">Result, m rows of n.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Rows of B, columns of C.</param>
    /// <param name="k">The shared dimension.</param>
    /// <param name="alpha">Scale applied to the product.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void MultiplyTransposedB(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha = 1.0, bool accumulate = false)
    {
        Guard.Dimensions(m, n, k);
        Guard.Matrix(a.Length, m, k, nameof(a));
        Guard.Matrix(b.Length, n, k, nameof(b));
        Guard.Matrix(c.Length, m, n, nameof(c));
        if (k == 0) { ClearUnlessAccumulating(c[..(m * n)], accumulate); return; }
        for (int p0 = 0; p0 < k; p0 += SharedBlock)
        {
            int depth = Math.Min(SharedBlock, k - p0);
            bool add = accumulate || p0 > 0;
            int i = 0;
            for (; i + 2 <= m; i += 2) DotRowPair(a, b, c, i, n, k, p0, depth, alpha, add);
            if (i < m) DotRow(a, b, c, i, n, k, p0, depth, alpha, add);
        }
    }

    /// <summary><c>C[m×n] = α·A[m×k]·B[k×n]</c>, added to C when <paramref name="accumulate"/> is true. The backward product δ_prev = δ·W (BP2).</summary>
    /// <param name="a">Left operand, m rows of k.</param>
    /// <param name="b">Right operand, k rows of n.</param>
    /// <param name="c">Result, m rows of n.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">The shared dimension.</param>
    /// <param name="alpha">Scale applied to the product.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha = 1.0, bool accumulate = false)
    {
        Guard.Dimensions(m, n, k);
        Guard.Matrix(a.Length, m, k, nameof(a));
        Guard.Matrix(b.Length, k, n, nameof(b));
        Guard.Matrix(c.Length, m, n, nameof(c));
        Axpy(a, rowStride: k, columnStride: 1, b, c, m, n, k, alpha, accumulate);
    }

    /// <summary><c>C[m×n] = α·A[k×m]ᵀ·B[k×n]</c>, added to C when <paramref name="accumulate"/> is true. The weight gradient ∂W = δᵀ·A (BP4).</summary>
    /// <param name="a">Left operand stored untransposed, k rows of m.</param>
    /// <param name="b">Right operand, k rows of n.</param>
    /// <param name="c">Result, m rows of n.</param>
    /// <param name="m">Columns of A, rows of C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">The shared dimension (rows of A and B).</param>
    /// <param name="alpha">Scale applied to the product.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void MultiplyTransposedA(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha = 1.0, bool accumulate = false)
    {
        Guard.Dimensions(m, n, k);
        Guard.Matrix(a.Length, k, m, nameof(a));
        Guard.Matrix(b.Length, k, n, nameof(b));
        Guard.Matrix(c.Length, m, n, nameof(c));
        Axpy(a, rowStride: 1, columnStride: m, b, c, m, n, k, alpha, accumulate);
    }

    /// <summary>With an empty shared dimension the product is 0: C is cleared, or left as it is when accumulating.</summary>
    private static void ClearUnlessAccumulating(Span<double> c, bool accumulate)
    {
        if (!accumulate) c.Clear();
    }

    private static void Store(ref double target, double value, double alpha, bool add) =>
        target = add ? target + alpha * value : alpha * value;

    /// <summary>Dot-product shape: rows i and i+1 of C against every row of B, over shared indices [p0, p0+depth): 2×4 outputs at a time.</summary>
    private static void DotRowPair(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int i, int n, int k, int p0, int depth, double alpha, bool add)
    {
        ref double a0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), i * k + p0);
        ref double a1 = ref Unsafe.Add(ref a0, k);
        ref double cRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(c), i * n);
        ref double bBase = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), p0);
        int vectorEnd = depth - depth % Lanes;
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ref double b0 = ref Unsafe.Add(ref bBase, j * k);
            ref double b1 = ref Unsafe.Add(ref b0, k);
            ref double b2 = ref Unsafe.Add(ref b1, k);
            ref double b3 = ref Unsafe.Add(ref b2, k);
            Vector<double> s00 = default, s01 = default, s02 = default, s03 = default;
            Vector<double> s10 = default, s11 = default, s12 = default, s13 = default;
            for (int p = 0; p < vectorEnd; p += Lanes)
            {
                var x0 = Vector.LoadUnsafe(ref a0, (nuint)p);
                var x1 = Vector.LoadUnsafe(ref a1, (nuint)p);
                var w0 = Vector.LoadUnsafe(ref b0, (nuint)p);
                var w1 = Vector.LoadUnsafe(ref b1, (nuint)p);
                var w2 = Vector.LoadUnsafe(ref b2, (nuint)p);
                var w3 = Vector.LoadUnsafe(ref b3, (nuint)p);
                s00 = Vector.FusedMultiplyAdd(x0, w0, s00); s01 = Vector.FusedMultiplyAdd(x0, w1, s01);
                s02 = Vector.FusedMultiplyAdd(x0, w2, s02); s03 = Vector.FusedMultiplyAdd(x0, w3, s03);
                s10 = Vector.FusedMultiplyAdd(x1, w0, s10); s11 = Vector.FusedMultiplyAdd(x1, w1, s11);
                s12 = Vector.FusedMultiplyAdd(x1, w2, s12); s13 = Vector.FusedMultiplyAdd(x1, w3, s13);
            }
            double t00 = Vector.Sum(s00), t01 = Vector.Sum(s01), t02 = Vector.Sum(s02), t03 = Vector.Sum(s03);
            double t10 = Vector.Sum(s10), t11 = Vector.Sum(s11), t12 = Vector.Sum(s12), t13 = Vector.Sum(s13);
            for (int p = vectorEnd; p < depth; p++)
            {
                double x0 = Unsafe.Add(ref a0, p), x1 = Unsafe.Add(ref a1, p);
                double w0 = Unsafe.Add(ref b0, p), w1 = Unsafe.Add(ref b1, p);
                double w2 = Unsafe.Add(ref b2, p), w3 = Unsafe.Add(ref b3, p);
                t00 = Math.FusedMultiplyAdd(x0, w0, t00); t01 = Math.FusedMultiplyAdd(x0, w1, t01);
                t02 = Math.FusedMultiplyAdd(x0, w2, t02); t03 = Math.FusedMultiplyAdd(x0, w3, t03);
                t10 = Math.FusedMultiplyAdd(x1, w0, t10); t11 = Math.FusedMultiplyAdd(x1, w1, t11);
                t12 = Math.FusedMultiplyAdd(x1, w2, t12); t13 = Math.FusedMultiplyAdd(x1, w3, t13);
            }
            Store(ref Unsafe.Add(ref cRow, j), t00, alpha, add);
            Store(ref Unsafe.Add(ref cRow, j + 1), t01, alpha, add);
            Store(ref Unsafe.Add(ref cRow, j + 2), t02, alpha, add);
            Store(ref Unsafe.Add(ref cRow, j + 3), t03, alpha, add);
            Store(ref Unsafe.Add(ref cRow, n + j), t10, alpha, add);
            Store(ref Unsafe.Add(ref cRow, n + j + 1), t11, alpha, add);
            Store(ref Unsafe.Add(ref cRow, n + j + 2), t12, alpha, add);
            Store(ref Unsafe.Add(ref cRow, n + j + 3), t13, alpha, add);
        }
        for (; j < n; j++)
        {
            ref double bj = ref Unsafe.Add(ref bBase, j * k);
            Store(ref Unsafe.Add(ref cRow, j), Dot(ref a0, ref bj, depth), alpha, add);
            Store(ref Unsafe.Add(ref cRow, n + j), Dot(ref a1, ref bj, depth), alpha, add);
        }
    }

    /// <summary>Dot-product shape for a single row of C (batch 1): 1×4 outputs at a time, four accumulators.</summary>
    private static void DotRow(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int i, int n, int k, int p0, int depth, double alpha, bool add)
    {
        ref double a0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), i * k + p0);
        ref double cRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(c), i * n);
        ref double bBase = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), p0);
        int vectorEnd = depth - depth % Lanes;
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ref double b0 = ref Unsafe.Add(ref bBase, j * k);
            ref double b1 = ref Unsafe.Add(ref b0, k);
            ref double b2 = ref Unsafe.Add(ref b1, k);
            ref double b3 = ref Unsafe.Add(ref b2, k);
            Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int p = 0; p < vectorEnd; p += Lanes)
            {
                var x = Vector.LoadUnsafe(ref a0, (nuint)p);
                s0 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b0, (nuint)p), s0);
                s1 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b1, (nuint)p), s1);
                s2 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b2, (nuint)p), s2);
                s3 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b3, (nuint)p), s3);
            }
            double t0 = Vector.Sum(s0), t1 = Vector.Sum(s1), t2 = Vector.Sum(s2), t3 = Vector.Sum(s3);
            for (int p = vectorEnd; p < depth; p++)
            {
                double x = Unsafe.Add(ref a0, p);
                t0 = Math.FusedMultiplyAdd(x, Unsafe.Add(ref b0, p), t0); t1 = Math.FusedMultiplyAdd(x, Unsafe.Add(ref b1, p), t1);
                t2 = Math.FusedMultiplyAdd(x, Unsafe.Add(ref b2, p), t2); t3 = Math.FusedMultiplyAdd(x, Unsafe.Add(ref b3, p), t3);
            }
            Store(ref Unsafe.Add(ref cRow, j), t0, alpha, add);
            Store(ref Unsafe.Add(ref cRow, j + 1), t1, alpha, add);
            Store(ref Unsafe.Add(ref cRow, j + 2), t2, alpha, add);
            Store(ref Unsafe.Add(ref cRow, j + 3), t3, alpha, add);
        }
        for (; j < n; j++) Store(ref Unsafe.Add(ref cRow, j), Dot(ref a0, ref Unsafe.Add(ref bBase, j * k), depth), alpha, add);
    }

    /// <summary>One dot product with four independent accumulators.</summary>
    private static double Dot(ref double x, ref double y, int length)
    {
        Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
        int p = 0;
        for (; p + 4 * Lanes <= length; p += 4 * Lanes)
        {
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)p), Vector.LoadUnsafe(ref y, (nuint)p), s0);
            s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)(p + Lanes)), Vector.LoadUnsafe(ref y, (nuint)(p + Lanes)), s1);
            s2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)(p + 2 * Lanes)), Vector.LoadUnsafe(ref y, (nuint)(p + 2 * Lanes)), s2);
            s3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)(p + 3 * Lanes)), Vector.LoadUnsafe(ref y, (nuint)(p + 3 * Lanes)), s3);
        }
        for (; p + Lanes <= length; p += Lanes)
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)p), Vector.LoadUnsafe(ref y, (nuint)p), s0);
        double sum = Vector.Sum((s0 + s1) + (s2 + s3));
        for (; p < length; p++) sum = Math.FusedMultiplyAdd(Unsafe.Add(ref x, p), Unsafe.Add(ref y, p), sum);
        return sum;
    }

    /// <summary>
    /// Axpy shape: <c>C[i, :] = α·Σ_p A(i, p)·B[p, :]</c> with <c>A(i, p) = a[i·rowStride + p·columnStride]</c>,
    /// so one loop serves both A and Aᵀ. Blocks of the shared dimension keep a panel of B in L1 while every row of C streams past it.
    /// </summary>
    private static void Axpy(ReadOnlySpan<double> a, int rowStride, int columnStride, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha, bool accumulate)
    {
        if (k == 0) { ClearUnlessAccumulating(c[..(m * n)], accumulate); return; }
        ref double aRef = ref MemoryMarshal.GetReference(a);
        ref double bRef = ref MemoryMarshal.GetReference(b);
        ref double cRef = ref MemoryMarshal.GetReference(c);
        int panel = 4 * Lanes;
        for (int p0 = 0; p0 < k; p0 += SharedBlock)
        {
            int depth = Math.Min(SharedBlock, k - p0);
            bool add = accumulate || p0 > 0;
            var alphaVector = new Vector<double>(alpha);
            int j = 0;
            for (; j + panel <= n; j += panel)
            {
                int i = 0;
                for (; i + 2 <= m; i += 2)
                {
                    ref double x0 = ref Unsafe.Add(ref aRef, i * rowStride + p0 * columnStride);
                    ref double x1 = ref Unsafe.Add(ref x0, rowStride);
                    ref double bp = ref Unsafe.Add(ref bRef, p0 * n + j);
                    Vector<double> s00 = default, s01 = default, s02 = default, s03 = default;
                    Vector<double> s10 = default, s11 = default, s12 = default, s13 = default;
                    for (int p = 0; p < depth; p++)
                    {
                        var u0 = new Vector<double>(Unsafe.Add(ref x0, p * columnStride));
                        var u1 = new Vector<double>(Unsafe.Add(ref x1, p * columnStride));
                        ref double row = ref Unsafe.Add(ref bp, p * n);
                        var w0 = Vector.LoadUnsafe(ref row);
                        var w1 = Vector.LoadUnsafe(ref row, (nuint)Lanes);
                        var w2 = Vector.LoadUnsafe(ref row, (nuint)(2 * Lanes));
                        var w3 = Vector.LoadUnsafe(ref row, (nuint)(3 * Lanes));
                        s00 = Vector.FusedMultiplyAdd(u0, w0, s00); s01 = Vector.FusedMultiplyAdd(u0, w1, s01);
                        s02 = Vector.FusedMultiplyAdd(u0, w2, s02); s03 = Vector.FusedMultiplyAdd(u0, w3, s03);
                        s10 = Vector.FusedMultiplyAdd(u1, w0, s10); s11 = Vector.FusedMultiplyAdd(u1, w1, s11);
                        s12 = Vector.FusedMultiplyAdd(u1, w2, s12); s13 = Vector.FusedMultiplyAdd(u1, w3, s13);
                    }
                    ref double c0 = ref Unsafe.Add(ref cRef, i * n + j);
                    ref double c1 = ref Unsafe.Add(ref c0, n);
                    StoreVector(ref c0, 0, s00, alphaVector, add); StoreVector(ref c0, 1, s01, alphaVector, add);
                    StoreVector(ref c0, 2, s02, alphaVector, add); StoreVector(ref c0, 3, s03, alphaVector, add);
                    StoreVector(ref c1, 0, s10, alphaVector, add); StoreVector(ref c1, 1, s11, alphaVector, add);
                    StoreVector(ref c1, 2, s12, alphaVector, add); StoreVector(ref c1, 3, s13, alphaVector, add);
                }
                for (; i < m; i++)
                    for (int v = 0; v < 4; v++)
                        AxpyOneVector(ref aRef, rowStride, columnStride, ref bRef, ref cRef, i, j + v * Lanes, n, p0, depth, alphaVector, add);
            }
            for (; j + Lanes <= n; j += Lanes)
                for (int i = 0; i < m; i++)
                    AxpyOneVector(ref aRef, rowStride, columnStride, ref bRef, ref cRef, i, j, n, p0, depth, alphaVector, add);
            for (; j < n; j++)
                for (int i = 0; i < m; i++)
                {
                    double sum = 0;
                    for (int p = p0; p < p0 + depth; p++)
                        sum = Math.FusedMultiplyAdd(Unsafe.Add(ref aRef, i * rowStride + p * columnStride), Unsafe.Add(ref bRef, p * n + j), sum);
                    Store(ref Unsafe.Add(ref cRef, i * n + j), sum, alpha, add);
                }
        }
    }

    private static void AxpyOneVector(ref double aRef, int rowStride, int columnStride, ref double bRef, ref double cRef,
        int i, int j, int n, int p0, int depth, Vector<double> alpha, bool add)
    {
        ref double x = ref Unsafe.Add(ref aRef, i * rowStride + p0 * columnStride);
        ref double bp = ref Unsafe.Add(ref bRef, p0 * n + j);
        Vector<double> sum = default;
        for (int p = 0; p < depth; p++)
            sum = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref x, p * columnStride)), Vector.LoadUnsafe(ref Unsafe.Add(ref bp, p * n)), sum);
        StoreVector(ref Unsafe.Add(ref cRef, i * n + j), 0, sum, alpha, add);
    }

    private static void StoreVector(ref double target, int index, Vector<double> value, Vector<double> alpha, bool add)
    {
        nuint offset = (nuint)(index * Lanes);
        var scaled = value * alpha;
        (add ? Vector.LoadUnsafe(ref target, offset) + scaled : scaled).StoreUnsafe(ref target, offset);
    }
}
