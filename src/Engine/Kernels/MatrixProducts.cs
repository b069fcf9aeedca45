using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels;

/// <summary>
/// The three matrix products a dense layer needs, on row-major spans:
/// forward <c>Z = A·Wᵀ</c>, backward <c>δ_prev = δ·W</c> and weight gradient <c>∂W = δᵀ·A</c>. Their specification is their
/// naive twins, <see cref="Reference.NaiveProducts"/>.
/// </summary>
/// <remarks>
/// All three run through one packed micro-kernel (<see cref="PackedProduct"/>): packing absorbs the transposes. The one
/// exception is the forward product of fewer than <see cref="PackedProduct.MicroRows"/> rows (batch 1), where packing W would
/// cost as much as the product; it uses a dot-product loop that reads W in place. Products of at least
/// <see cref="ProductThreads.MinimumParallelWork"/> multiply-adds split their columns over the <c>threads</c> the caller allows
/// (a network passes its <see cref="Networks.Network.Threads"/>). Every output is a fixed-order sum, so results are bit-identical
/// whatever the thread count.
/// </remarks>
public static unsafe class MatrixProducts
{
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
    /// <param name="threads">Threads a large product may use, the caller's included (at least 1). Results do not depend on it.</param>
    public static void MultiplyTransposedB(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha = 1.0, bool accumulate = false, int threads = 1)
    {
        Guard.Dimensions(m, n, k);
        Guard.Threads(threads);
        Guard.Matrix(a.Length, m, k, nameof(a));
        Guard.Matrix(b.Length, n, k, nameof(b));
        Guard.Matrix(c.Length, m, n, nameof(c));
        if (k == 0 || m >= PackedProduct.MicroRows)
        {
            Packed(a, rowStrideA: k, columnStrideA: 1, b, rowStrideB: 1, columnStrideB: k, c, m, n, k, alpha, accumulate, threads);
            return;
        }
        ref double bBase = ref MemoryMarshal.GetReference(b);
        for (int i = 0; i < m; i++) DotRow(a, ref bBase, c, i, n, k, alpha, accumulate, new Unchanged());
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
    /// <param name="threads">Threads a large product may use, the caller's included (at least 1). Results do not depend on it.</param>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha = 1.0, bool accumulate = false, int threads = 1)
    {
        Guard.Dimensions(m, n, k);
        Guard.Threads(threads);
        Guard.Matrix(a.Length, m, k, nameof(a));
        Guard.Matrix(b.Length, k, n, nameof(b));
        Guard.Matrix(c.Length, m, n, nameof(c));
        Packed(a, rowStrideA: k, columnStrideA: 1, b, rowStrideB: n, columnStrideB: 1, c, m, n, k, alpha, accumulate, threads);
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
    /// <param name="threads">Threads a large product may use, the caller's included (at least 1). Results do not depend on it.</param>
    public static void MultiplyTransposedA(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
        int m, int n, int k, double alpha = 1.0, bool accumulate = false, int threads = 1)
    {
        Guard.Dimensions(m, n, k);
        Guard.Threads(threads);
        Guard.Matrix(a.Length, k, m, nameof(a));
        Guard.Matrix(b.Length, k, n, nameof(b));
        Guard.Matrix(c.Length, m, n, nameof(c));
        Packed(a, rowStrideA: 1, columnStrideA: m, b, rowStrideB: n, columnStrideB: 1, c, m, n, k, alpha, accumulate, threads);
    }

    /// <summary>
    /// The row length at which to store a matrix of <paramref name="columns"/> columns that the products read in place (the extra
    /// columns are computed and ignored, so they must hold finite values): a whole number of the widest micro-tiles (16 columns,
    /// so that it is the same at every vector width), plus one more when rows would lie a multiple of 1 KiB apart. Rows that far
    /// apart fall into the same few cache sets, so a product walking down a column evicts its own lines: the products of a
    /// convolution with its 144 × 2048 column matrix took 1.5–1.8× longer than at 2064 columns.
    /// </summary>
    /// <param name="columns">The matrix's columns.</param>
    public static int LeadingDimension(int columns)
    {
        const int tile = 16;
        int length = (columns + tile - 1) / tile * tile;
        return length * sizeof(double) % 1024 == 0 ? length + tile : length;
    }

    /// <summary>Pins the operands and runs the packed product on up to <paramref name="threads"/> threads. With an empty shared
    /// dimension the product is 0: C is cleared, or left as it is when accumulating.</summary>
    private static void Packed(ReadOnlySpan<double> a, int rowStrideA, int columnStrideA, ReadOnlySpan<double> b, int rowStrideB,
        int columnStrideB, Span<double> c, int m, int n, int k, double alpha, bool accumulate, int threads)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }
        fixed (double* pa = a, pb = b, pc = c)
        {
            var task = new ProductTask(new StridedOperand(pa, rowStrideA, columnStrideA), new StridedOperand(pb, rowStrideB, columnStrideB),
                pc, m, n, k, alpha, accumulate);
            ProductThreads.Run(task, threads);
        }
    }

    private static void Store(ref double target, double value, double alpha, bool add) =>
        target = add ? target + alpha * value : alpha * value;

    /// <summary>
    /// Dot-product shape for one row i of <c>C = α·A·Bᵀ</c>, reading B in place: 1×4 outputs at a time, four accumulators. Each
    /// element of B passes through <paramref name="update"/> on its way (stored back if the update changes it), so that an update
    /// of B and the product through the updated B can share one pass (<see cref="RowProducts.UpdateThenForward"/>) and compute
    /// exactly the sums the product alone computes.
    /// </summary>
    internal static void DotRow<TUpdate>(ReadOnlySpan<double> a, ref double bBase, Span<double> c,
        int i, int n, int k, double alpha, bool add, TUpdate update) where TUpdate : struct, IRowUpdate
    {
        ref double a0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), i * k);
        ref double cRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(c), i * n);
        int depth = k;
        int vectorEnd = depth - depth % Lanes;
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            ref double b0 = ref Unsafe.Add(ref bBase, j * k);
            ref double b1 = ref Unsafe.Add(ref b0, k);
            ref double b2 = ref Unsafe.Add(ref b1, k);
            ref double b3 = ref Unsafe.Add(ref b2, k);
            double f0 = 0, f1 = 0, f2 = 0, f3 = 0;
            if (update.Changes) (f0, f1, f2, f3) = (update.Row(j), update.Row(j + 1), update.Row(j + 2), update.Row(j + 3));
            Vector<double> r0 = new(f0), r1 = new(f1), r2 = new(f2), r3 = new(f3);
            Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int p = 0; p < vectorEnd; p += Lanes)
            {
                var x = Vector.LoadUnsafe(ref a0, (nuint)p);
                var columns = update.Changes ? update.Columns(p) : default;
                s0 = Vector.FusedMultiplyAdd(x, Updated(update, ref b0, p, r0, columns), s0);
                s1 = Vector.FusedMultiplyAdd(x, Updated(update, ref b1, p, r1, columns), s1);
                s2 = Vector.FusedMultiplyAdd(x, Updated(update, ref b2, p, r2, columns), s2);
                s3 = Vector.FusedMultiplyAdd(x, Updated(update, ref b3, p, r3, columns), s3);
            }
            double t0 = Vector.Sum(s0), t1 = Vector.Sum(s1), t2 = Vector.Sum(s2), t3 = Vector.Sum(s3);
            for (int p = vectorEnd; p < depth; p++)
            {
                double x = Unsafe.Add(ref a0, p);
                double column = update.Changes ? update.Column(p) : 0;
                t0 = Math.FusedMultiplyAdd(x, UpdatedElement(update, ref Unsafe.Add(ref b0, p), f0, column), t0);
                t1 = Math.FusedMultiplyAdd(x, UpdatedElement(update, ref Unsafe.Add(ref b1, p), f1, column), t1);
                t2 = Math.FusedMultiplyAdd(x, UpdatedElement(update, ref Unsafe.Add(ref b2, p), f2, column), t2);
                t3 = Math.FusedMultiplyAdd(x, UpdatedElement(update, ref Unsafe.Add(ref b3, p), f3, column), t3);
            }
            Store(ref Unsafe.Add(ref cRow, j), t0, alpha, add);
            Store(ref Unsafe.Add(ref cRow, j + 1), t1, alpha, add);
            Store(ref Unsafe.Add(ref cRow, j + 2), t2, alpha, add);
            Store(ref Unsafe.Add(ref cRow, j + 3), t3, alpha, add);
        }
        for (; j < n; j++)
        {
            ref double row = ref Unsafe.Add(ref bBase, j * k);
            if (update.Changes)
            {
                double factor = update.Row(j);
                for (int p = 0; p < depth; p++) UpdatedElement(update, ref Unsafe.Add(ref row, p), factor, update.Column(p));
            }
            Store(ref Unsafe.Add(ref cRow, j), Dot(ref a0, ref row, depth), alpha, add);
        }
    }

    /// <summary>B's lanes [p, p + Count) of a row after the update, stored back if it changes B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> Updated<TUpdate>(TUpdate update, ref double b, int p, Vector<double> row, Vector<double> columns)
        where TUpdate : struct, IRowUpdate
    {
        var value = Vector.LoadUnsafe(ref b, (nuint)p);
        if (!update.Changes) return value;
        value = update.Apply(value, row, columns);
        value.StoreUnsafe(ref b, (nuint)p);
        return value;
    }

    /// <summary>B's element after the update, stored back if it changes B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double UpdatedElement<TUpdate>(TUpdate update, ref double b, double row, double column) where TUpdate : struct, IRowUpdate
    {
        if (!update.Changes) return b;
        b = update.Apply(b, row, column);
        return b;
    }

    /// <summary>The product alone: B passes unchanged.</summary>
    private readonly struct Unchanged : IRowUpdate
    {
        public bool Changes => false;
        public double Row(int row) => 0;
        public double Column(int p) => 0;
        public Vector<double> Columns(int p) => default;
        public Vector<double> Apply(Vector<double> value, Vector<double> row, Vector<double> columns) => value;
        public double Apply(double value, double row, double column) => value;
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
}
