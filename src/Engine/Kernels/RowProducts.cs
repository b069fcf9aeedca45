using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels;

/// <summary>
/// The products of a batch of one sample (the notes' per-sample SGD), where a packed product would pay its tiling for a
/// single row: the weight gradient α·δᵀ·x, an outer product, and the backward product δ·W of one row. Each is one loop over its
/// operands in place. Naive twin: <see cref="Reference.NaiveRowProducts"/>, which they match bit for bit.
/// </summary>
/// <remarks>
/// Both compute each output as <see cref="PackedProduct"/> does (α times the product; one fused multiply-add per term in order
/// of the shared index from 0), so for a shared dimension up to <see cref="PackedProduct.SharedBlock"/> they give its results
/// bit for bit, and batch 1 trains exactly as a batch of one always did.
/// </remarks>
internal static unsafe class RowProducts
{
    private static int Lanes => Vector<double>.Count;

    /// <summary><c>C[i, j] = α·(a[i]·b[j] + 0)</c>: the weight gradient (1/batch)·δᵀ·A (BP4) of a batch of one, whose shared dimension
    /// is 1 (the + 0 is the packed product's sum of one term, a fused multiply-add from 0, which turns −0 into +0).</summary>
    /// <param name="a">The column, m values (δ).</param>
    /// <param name="b">The row, n values (the layer's input).</param>
    /// <param name="c">Receives C, m rows of n.</param>
    /// <param name="alpha">α.</param>
    public static void Outer(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, double alpha)
    {
        int m = a.Length, n = b.Length;
        Guard.Matrix(c.Length, m, n, nameof(c));
        ref double row = ref MemoryMarshal.GetReference(b);
        ref double target = ref MemoryMarshal.GetReference(c);
        var scale = new Vector<double>(alpha);
        for (int i = 0; i < m; i++, target = ref Unsafe.Add(ref target, n))
        {
            double factor = a[i];
            var broadcast = new Vector<double>(factor);
            int j = 0;
            for (; j + Lanes <= n; j += Lanes)
                (scale * Vector.FusedMultiplyAdd(broadcast, Vector.LoadUnsafe(ref row, (nuint)j), Vector<double>.Zero)).StoreUnsafe(ref target, (nuint)j);
            for (; j < n; j++) Unsafe.Add(ref target, j) = alpha * Math.FusedMultiplyAdd(factor, Unsafe.Add(ref row, j), 0.0);
        }
    }

    /// <summary><c>c[j] = Σₚ a[p]·B[p, j]</c>, one fused multiply-add per p in order from 0: a row times a k × n matrix, the backward
    /// product δ·W (BP2) of a batch of one.</summary>
    /// <param name="a">The row, k values (δ).</param>
    /// <param name="b">B, k rows of n (W).</param>
    /// <param name="c">Receives the n values of the product.</param>
    public static void RowTimesMatrix(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        int k = a.Length, n = c.Length;
        Guard.Matrix(b.Length, k, n, nameof(b));
        c.Clear();
        ref double sums = ref MemoryMarshal.GetReference(c);
        ref double row = ref MemoryMarshal.GetReference(b);
        for (int p = 0; p < k; p++, row = ref Unsafe.Add(ref row, n))
        {
            double factor = a[p];
            var broadcast = new Vector<double>(factor);
            int j = 0;
            for (; j + Lanes <= n; j += Lanes)
                Vector.FusedMultiplyAdd(broadcast, Vector.LoadUnsafe(ref row, (nuint)j), Vector.LoadUnsafe(ref sums, (nuint)j)).StoreUnsafe(ref sums, (nuint)j);
            for (; j < n; j++) Unsafe.Add(ref sums, j) = Math.FusedMultiplyAdd(factor, Unsafe.Add(ref row, j), Unsafe.Add(ref sums, j));
        }
    }

    /// <summary>
    /// Per-sample SGD's update of a dense layer's weights followed by the next sample's forward product through them, in one pass
    /// over W: W ← W − η·g with g = δ·xᵀ, then z = W·next. Bit for bit what the three separate passes give — the weight gradient
    /// of a batch of one (<see cref="Outer"/> with α = 1), the update <see cref="VectorOps.ScaledAdd"/> makes from it, and the
    /// forward product of the next sample (<see cref="MatrixProducts.MultiplyTransposedB"/>, whose batch-1 loop this is) — while
    /// reading and writing W once instead of streaming it, or its gradient, five times.
    /// </summary>
    /// <param name="delta">δ of the sample just trained, one per row of W.</param>
    /// <param name="input">That sample's input x, one per column of W.</param>
    /// <param name="learningRate">η.</param>
    /// <param name="weights">W, <c>[delta.Length, input.Length]</c>, updated in place.</param>
    /// <param name="next">The next sample's input.</param>
    /// <param name="z">Receives W·next, one per row (without the bias).</param>
    public static void UpdateThenForward(ReadOnlySpan<double> delta, ReadOnlySpan<double> input, double learningRate, Span<double> weights,
        ReadOnlySpan<double> next, Span<double> z)
    {
        int m = delta.Length, n = input.Length;
        Guard.Matrix(weights.Length, m, n, nameof(weights));
        Guard.Vector(next.Length, n, nameof(next));
        Guard.Vector(z.Length, m, nameof(z));
        fixed (double* d = delta, x = input)
            MatrixProducts.DotRow(next, ref MemoryMarshal.GetReference(weights), z, 0, m, n, 1.0, false, new SgdStep(d, x, -learningRate));
    }

    /// <summary>w ← w − η·(δ_row·x_p + 0): the gradient as <see cref="Outer"/> rounds it for a batch of one (α = 1), then the
    /// update as <see cref="VectorOps.ScaledAdd"/> rounds it.</summary>
    private readonly struct SgdStep(double* delta, double* input, double minusRate) : IRowUpdate
    {
        public bool Changes => true;
        public double Row(int row) => delta[row];
        public double Column(int p) => input[p];
        public Vector<double> Columns(int p) => Vector.Load(input + p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<double> Apply(Vector<double> value, Vector<double> row, Vector<double> columns) =>
            Vector.FusedMultiplyAdd(new Vector<double>(minusRate), Vector.FusedMultiplyAdd(row, columns, Vector<double>.Zero), value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Apply(double value, double row, double column) =>
            Math.FusedMultiplyAdd(minusRate, Math.FusedMultiplyAdd(row, column, 0.0), value);
    }
}
