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
internal static class RowProducts
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
}
