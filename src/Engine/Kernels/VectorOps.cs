using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels;

/// <summary>
/// Vector kernels on row-major spans: bias add, column sums (the bias gradient, BP3), the SGD update, squared norms, the
/// exponentials of softmax and log-sum-exp, and a finiteness scan.
/// Each is one <see cref="Vector{T}"/> loop stepping by <see cref="Vector{T}.Count"/>, then a scalar tail; its specification is
/// its naive twin in <see cref="Reference.NaiveVectorOps"/>.
/// </summary>
public static class VectorOps
{
    private static int Lanes => Vector<double>.Count;

    /// <summary><c>y += α·x</c> over the first <c>x.Length</c> elements; with α = −η it is the SGD update <c>w -= η·g</c>.</summary>
    /// <param name="x">The increment (a gradient).</param>
    /// <param name="alpha">Its scale.</param>
    /// <param name="y">The vector updated in place, at least as long as <paramref name="x"/>.</param>
    public static void ScaledAdd(ReadOnlySpan<double> x, double alpha, Span<double> y)
    {
        Guard.Vector(y.Length, x.Length, nameof(y));
        ref double xRef = ref MemoryMarshal.GetReference(x);
        ref double yRef = ref MemoryMarshal.GetReference(y);
        var a = new Vector<double>(alpha);
        int i = 0;
        for (; i + Lanes <= x.Length; i += Lanes)
            Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref xRef, (nuint)i), Vector.LoadUnsafe(ref yRef, (nuint)i))
                .StoreUnsafe(ref yRef, (nuint)i);
        for (; i < x.Length; i++) Unsafe.Add(ref yRef, i) = Math.FusedMultiplyAdd(alpha, Unsafe.Add(ref xRef, i), Unsafe.Add(ref yRef, i));
    }

    /// <summary><c>M[i, :] += v</c> for every row i of the <paramref name="rows"/> × <c>v.Length</c> matrix M (the bias add of <c>z = A·Wᵀ + b</c>).</summary>
    /// <param name="matrix">Row-major matrix updated in place.</param>
    /// <param name="rows">Its number of rows.</param>
    /// <param name="vector">The row vector added to each row; its length is the number of columns.</param>
    /// <param name="threads">Threads a large matrix may use, the caller's included (at least 1); split by rows, so results do not depend on it.</param>
    public static unsafe void AddToRows(Span<double> matrix, int rows, ReadOnlySpan<double> vector, int threads = 1)
    {
        int columns = vector.Length;
        Guard.Matrix(matrix.Length, rows, columns, nameof(matrix));
        Guard.Threads(threads);
        fixed (double* target = matrix, row = vector)
            RangeThreads.Run(new RowsPlusVector(target, row, columns), rows, columns, threads);
    }

    /// <summary><c>s[j] = α·Σ_i M[i, j]</c> (the bias gradient of BP3 averaged over the batch with α = 1/batch).</summary>
    /// <param name="matrix">Row-major matrix, <paramref name="rows"/> × <c>sums.Length</c>.</param>
    /// <param name="rows">Its number of rows.</param>
    /// <param name="alpha">Scale applied to each sum.</param>
    /// <param name="sums">Receives one sum per column.</param>
    /// <param name="threads">Threads a large matrix may use, the caller's included (at least 1); split by columns at multiples of
    /// <see cref="Vector{T}.Count"/>, each column summed in row order on any, so results do not depend on it.</param>
    public static unsafe void SumColumns(ReadOnlySpan<double> matrix, int rows, double alpha, Span<double> sums, int threads = 1)
    {
        int columns = sums.Length;
        Guard.Matrix(matrix.Length, rows, columns, nameof(matrix));
        Guard.Threads(threads);
        fixed (double* source = matrix, target = sums)
            RangeThreads.Run(new ColumnSums(source, rows, columns, alpha, target), columns, rows, threads, Lanes);
    }

    /// <summary>Rows [start, end) of <see cref="AddToRows"/>.</summary>
    private readonly unsafe struct RowsPlusVector(double* matrix, double* vector, int columns) : IRangeWork
    {
        public void Run(int start, int end)
        {
            var row = new ReadOnlySpan<double>(vector, columns);
            for (int r = start; r < end; r++) ScaledAdd(row, 1.0, new Span<double>(matrix + (nint)r * columns, columns));
        }
    }

    /// <summary>Columns [start, end) of <see cref="SumColumns"/>.</summary>
    private readonly unsafe struct ColumnSums(double* matrix, int rows, int columns, double alpha, double* sums) : IRangeWork
    {
        public void Run(int start, int end)
        {
            var part = new Span<double>(sums + start, end - start);
            part.Clear();
            for (int r = 0; r < rows; r++) ScaledAdd(new ReadOnlySpan<double>(matrix + (nint)r * columns + start, end - start), 1.0, part);
            Scale(part, alpha);
        }
    }

    /// <summary><c>x *= α</c> in place.</summary>
    /// <param name="x">The vector scaled in place.</param>
    /// <param name="alpha">The factor.</param>
    public static void Scale(Span<double> x, double alpha)
    {
        ref double xRef = ref MemoryMarshal.GetReference(x);
        var a = new Vector<double>(alpha);
        int i = 0;
        for (; i + Lanes <= x.Length; i += Lanes) (a * Vector.LoadUnsafe(ref xRef, (nuint)i)).StoreUnsafe(ref xRef, (nuint)i);
        for (; i < x.Length; i++) Unsafe.Add(ref xRef, i) *= alpha;
    }

    /// <summary><c>x += value</c> for every element (a convolution's per-channel bias).</summary>
    /// <param name="x">The vector updated in place.</param>
    /// <param name="value">The value added.</param>
    public static void AddScalar(Span<double> x, double value)
    {
        ref double xRef = ref MemoryMarshal.GetReference(x);
        var v = new Vector<double>(value);
        int i = 0;
        for (; i + Lanes <= x.Length; i += Lanes) (Vector.LoadUnsafe(ref xRef, (nuint)i) + v).StoreUnsafe(ref xRef, (nuint)i);
        for (; i < x.Length; i++) Unsafe.Add(ref xRef, i) += value;
    }

    /// <summary>Σᵢ xᵢ, with <see cref="Vector{T}"/> partial sums.</summary>
    /// <param name="x">The values.</param>
    public static double Sum(ReadOnlySpan<double> x)
    {
        ref double xRef = ref MemoryMarshal.GetReference(x);
        Vector<double> partial = default;
        int i = 0;
        for (; i + Lanes <= x.Length; i += Lanes) partial += Vector.LoadUnsafe(ref xRef, (nuint)i);
        double sum = Vector.Sum(partial);
        for (; i < x.Length; i++) sum += Unsafe.Add(ref xRef, i);
        return sum;
    }

    /// <summary>
    /// <c>eᵢ = e^(xᵢ − shift)</c>, stored in <paramref name="exps"/> unless it is empty, and Σᵢ eᵢ with <see cref="Vector{T}"/>
    /// partial sums: the exponentials of softmax and log-sum-exp, with shift = max x so that none overflows. Every eᵢ comes from
    /// <see cref="Vector.Exp(Vector{double})"/>; the tail's come from a vector whose other lanes count as 0, so a row's values
    /// depend only on the row, not on where it starts.
    /// </summary>
    /// <param name="x">The exponents before the shift.</param>
    /// <param name="shift">Subtracted from each.</param>
    /// <param name="exps">Receives the eᵢ: empty, or at least as long as <paramref name="x"/>.</param>
    public static double ExpSum(ReadOnlySpan<double> x, double shift, Span<double> exps)
    {
        bool store = !exps.IsEmpty;
        if (store) Guard.Vector(exps.Length, x.Length, nameof(exps));
        int n = x.Length, rest = n % Lanes;
        ref double xRef = ref MemoryMarshal.GetReference(x);
        ref double eRef = ref MemoryMarshal.GetReference(exps);
        var offset = new Vector<double>(shift);
        // The tail first, so that the whole vectors' stores below overwrite the lanes it shares with them. Its other lanes hold
        // exponents of 0, not −∞: Vector.Exp takes a scalar path for the whole vector when any lane lies outside ±709.78.
        Vector<double> partial = rest == 0 ? default
            : n >= Lanes ? OverlappingTail(ref xRef, ref eRef, n, rest, offset, store)
            : ShortTail(x, shift, exps, store);
        for (int i = 0; i + Lanes <= n; i += Lanes)
        {
            var e = Vector.Exp(Vector.LoadUnsafe(ref xRef, (nuint)i) - offset);
            if (store) e.StoreUnsafe(ref eRef, (nuint)i);
            partial += e;
        }
        return Vector.Sum(partial);
    }

    /// <summary>The last <paramref name="rest"/> exponentials of a row of at least one vector, in the last whole vector of the row
    /// (read in place: a vector assembled in memory from scalars costs a store-forwarding stall per row), the other lanes 0.</summary>
    private static Vector<double> OverlappingTail(ref double xRef, ref double eRef, int n, int rest, Vector<double> offset, bool store)
    {
        var live = Vector.GreaterThanOrEqual(Vector<double>.Indices, new Vector<double>(Lanes - rest));
        var shifted = Vector.ConditionalSelect(live, Vector.LoadUnsafe(ref xRef, (nuint)(n - Lanes)) - offset, Vector<double>.Zero);
        var e = Vector.ConditionalSelect(live, Vector.Exp(shifted), Vector<double>.Zero);
        if (store) e.StoreUnsafe(ref eRef, (nuint)(n - Lanes));
        return e;
    }

    /// <summary>The exponentials of a row shorter than a vector, through a vector padded with 0 whose padding counts as 0.</summary>
    private static Vector<double> ShortTail(ReadOnlySpan<double> x, double shift, Span<double> exps, bool store)
    {
        Span<double> padded = stackalloc double[Vector<double>.Count];
        padded.Clear();
        for (int j = 0; j < x.Length; j++) padded[j] = x[j] - shift;
        var live = Vector.LessThan(Vector<double>.Indices, new Vector<double>(x.Length));
        var e = Vector.ConditionalSelect(live, Vector.Exp(new Vector<double>(padded)), Vector<double>.Zero);
        if (store)
            for (int j = 0; j < x.Length; j++) exps[j] = e[j];
        return e;
    }

    /// <summary>Σᵢ xᵢ², with <see cref="Vector{T}"/> partial sums (the squared Euclidean or Frobenius norm).</summary>
    /// <param name="x">The values.</param>
    public static double SumOfSquares(ReadOnlySpan<double> x)
    {
        ref double xRef = ref MemoryMarshal.GetReference(x);
        Vector<double> partial = default;
        int i = 0;
        for (; i + Lanes <= x.Length; i += Lanes)
        {
            var v = Vector.LoadUnsafe(ref xRef, (nuint)i);
            partial = Vector.FusedMultiplyAdd(v, v, partial);
        }
        double sum = Vector.Sum(partial);
        for (; i < x.Length; i++) sum = Math.FusedMultiplyAdd(Unsafe.Add(ref xRef, i), Unsafe.Add(ref xRef, i), sum);
        return sum;
    }

    /// <summary>Σᵢ (xᵢ − yᵢ)² over the first <c>x.Length</c> elements, with <see cref="Vector{T}"/> partial sums (‖x − y‖² without forming x − y).</summary>
    /// <param name="x">The values.</param>
    /// <param name="y">The values subtracted, at least as long as <paramref name="x"/>.</param>
    public static double SquaredDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Guard.Vector(y.Length, x.Length, nameof(y));
        ref double xRef = ref MemoryMarshal.GetReference(x);
        ref double yRef = ref MemoryMarshal.GetReference(y);
        Vector<double> partial = default;
        int i = 0;
        for (; i + Lanes <= x.Length; i += Lanes)
        {
            var d = Vector.LoadUnsafe(ref xRef, (nuint)i) - Vector.LoadUnsafe(ref yRef, (nuint)i);
            partial = Vector.FusedMultiplyAdd(d, d, partial);
        }
        double sum = Vector.Sum(partial);
        for (; i < x.Length; i++)
        {
            double d = Unsafe.Add(ref xRef, i) - Unsafe.Add(ref yRef, i);
            sum = Math.FusedMultiplyAdd(d, d, sum);
        }
        return sum;
    }

    /// <summary>The index of the first NaN or ±∞ in <paramref name="x"/>, or −1 when every element is finite.</summary>
    /// <param name="x">The values to scan.</param>
    public static int IndexOfNonFinite(ReadOnlySpan<double> x)
    {
        ref double xRef = ref MemoryMarshal.GetReference(x);
        int i = 0;
        // x − x is 0 for finite x and NaN for NaN or ±∞, so one comparison per vector finds both.
        for (; i + Lanes <= x.Length; i += Lanes)
        {
            var v = Vector.LoadUnsafe(ref xRef, (nuint)i);
            if (!Vector.EqualsAll(v - v, Vector<double>.Zero)) break;
        }
        for (; i < x.Length; i++)
            if (!double.IsFinite(Unsafe.Add(ref xRef, i))) return i;
        return -1;
    }
}
