using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels;

/// <summary>
/// The general product <c>C = α·A·B (+ C)</c> in the BLIS scheme: one register-blocked micro-kernel of
/// <see cref="MicroRows"/> × <see cref="MicroColumns"/> outputs runs over strips of B that are contiguous for each shared index.
/// </summary>
/// <remarks>
/// Where B's columns are not adjacent in memory (the forward product's Wᵀ), or a strip is cut by the right edge of C, the
/// strips are packed (copied) into a per-thread buffer; elsewhere they are read in place. Either way the one micro-kernel
/// serves all three products of a layer. A is read in place through its strides: the micro-kernel needs one element of each
/// of its eight rows per step, and reading them where they lie measured faster than packing them (docs/performance.md).
/// Loop order and block sizes follow BLIS: a <see cref="SharedBlock"/> × <see cref="ColumnBlock"/> block of B is packed once and
/// reused by every row block of A; a <see cref="RowBlock"/> × <see cref="SharedBlock"/> block of A (256 KiB, in L2) is reused
/// by every column strip; one strip of B stays in L1 while the row strips stream past.
/// The micro-kernel is written once, generic over the vector width (<see cref="IVectorWidth{TVector}"/>): 512-bit vectors where
/// the hardware runs them (<see cref="Uses512Bits"/>, decided once), else <see cref="Vector{T}"/>, the portable width.
/// Every output is a fixed-order sum: an FMA chain over each block of the shared dimension, the blocks added in order. So an
/// output does not depend on which column range, block, thread or vector width computed it, which makes splitting columns over
/// threads exact.
/// </remarks>
internal static unsafe class PackedProduct
{
    /// <summary>Rows of C per micro-tile. Eight rows by two vectors is sixteen accumulators: twice the independent FMA chains
    /// needed to cover the FMA latency on two pipes, and with the two B vectors and the broadcast 19 of AVX-512's 32 registers.
    /// Eight rows rather than six load B once per sixteen FMAs instead of twelve: at 512 bits it moved the three products of
    /// the benchmark from 80 % to 86–92 % of the peak (docs/performance.md).</summary>
    public const int MicroRows = 8;

    /// <summary>Whether the products use the 512-bit micro-kernel: where 512-bit vectors are hardware-accelerated with FMA, as
    /// the runtime reports once at start-up (false where it prefers narrower vectors, as on CPUs that slow down under them).</summary>
    public static readonly bool Uses512Bits = Vector512.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>Columns of C per micro-tile: two vectors of the width in use.</summary>
    public static int MicroColumns => Uses512Bits ? 2 * Width512.Lanes : 2 * PortableWidth.Lanes;

    /// <summary>Depth of a packed block (KC): a B strip of at most 256 × 16 doubles is 32 KiB, in L1 next to the rows of A it
    /// meets. The same at every width, so that each output is the same sum at every width.</summary>
    public const int SharedBlock = 256;

    /// <summary>Rows of A per block (MC), a multiple of <see cref="MicroRows"/>.</summary>
    public const int RowBlock = 128;

    /// <summary>Columns of B per packed block (NC), a multiple of <see cref="MicroColumns"/> for vectors of 2, 4 and 8 lanes.</summary>
    public const int ColumnBlock = 512;

    [ThreadStatic] private static double[]? packedB;

    /// <summary>Computes the columns [<paramref name="columnStart"/>, <paramref name="columnEnd"/>) of the task's C. Requires K &gt; 0.</summary>
    public static void Run(in ProductTask task, int columnStart, int columnEnd)
    {
        if (Uses512Bits) Run<Width512, Vector512<double>>(task, columnStart, columnEnd);
        else Run<PortableWidth, Vector<double>>(task, columnStart, columnEnd);
    }

    private static void Run<TWidth, TVector>(in ProductTask task, int columnStart, int columnEnd)
        where TWidth : IVectorWidth<TVector> where TVector : struct
    {
        // Locals, not fields of the by-reference task: stores through C could alias it, which would force a reload per tile.
        StridedOperand a = task.A, b = task.B;
        double* c = task.C;
        int m = task.M, n = task.N, k = task.K;
        double alpha = task.Alpha;
        bool accumulate = task.Accumulate;
        int microColumns = 2 * TWidth.Lanes;
        double* packed = Pinned(ref packedB, SharedBlock * ColumnBlock + MicroRows * microColumns);
        double* tile = packed + SharedBlock * ColumnBlock;
        // Equal blocks (784 = 4 × 196 rather than 3 × 256 + 16): a thin last block would pay a full load and store of C for little work.
        int blocks = (k + SharedBlock - 1) / SharedBlock;
        int blockDepth = (k + blocks - 1) / blocks;
        // B's rows already hold its columns side by side (δ·W, δᵀ·A): whole strips are read in place, only a cut one is packed.
        bool inPlace = b.ColumnStride == 1;
        for (int j0 = columnStart; j0 < columnEnd; j0 += ColumnBlock)
        {
            int columns = Math.Min(ColumnBlock, columnEnd - j0);
            int packedFrom = inPlace ? columns - columns % microColumns : 0;
            for (int p0 = 0; p0 < k; p0 += blockDepth)
            {
                int depth = Math.Min(blockDepth, k - p0);
                bool add = accumulate || p0 > 0;
                Pack(Transposed(b), j0 + packedFrom, columns - packedFrom, p0, depth, microColumns, packed);
                for (int i0 = 0; i0 < m; i0 += RowBlock)
                {
                    int rows = Math.Min(RowBlock, m - i0);
                    for (int jr = 0; jr < columns; jr += microColumns)
                    {
                        bool isPacked = jr >= packedFrom;
                        double* strip = isPacked ? packed + (jr - packedFrom) * depth : b.Data + (nint)p0 * b.RowStride + j0 + jr;
                        nint stripStride = isPacked ? microColumns : b.RowStride;
                        for (int ir = 0; ir < rows; ir += MicroRows)
                            MicroKernel<TWidth, TVector>(a.Data + (nint)(i0 + ir) * a.RowStride + (nint)p0 * a.ColumnStride, a.RowStride, a.ColumnStride,
                                strip, stripStride, depth, c + (nint)(i0 + ir) * n + j0 + jr, n,
                                Math.Min(MicroRows, rows - ir), Math.Min(microColumns, columns - jr), alpha, add, tile);
                    }
                }
            }
        }
    }

    private static StridedOperand Transposed(in StridedOperand x) => new(x.Data, x.ColumnStride, x.RowStride);

    /// <summary>A thread's packing buffer, allocated once on the pinned heap so that its address stays valid, and aligned to a
    /// cache line so that no vector load of a packed strip straddles two.</summary>
    private static double* Pinned(ref double[]? buffer, int length)
    {
        const int lineDoubles = 64 / sizeof(double);
        buffer ??= GC.AllocateArray<double>(length + lineDoubles - 1, pinned: true);
        double* start = (double*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return start + (lineDoubles - (int)((nuint)start / sizeof(double) % lineDoubles)) % lineDoubles;
    }

    /// <summary>
    /// Copies rows [i0, i0+rows) × columns [p0, p0+depth) of <paramref name="x"/> (Bᵀ, so that B's columns become rows) into
    /// strips of <paramref name="width"/> rows, each stored column by column (<c>strip[p·width + r]</c>); rows past the end are zero.
    /// </summary>
    private static void Pack(in StridedOperand x, int i0, int rows, int p0, int depth, int width, double* packed)
    {
        for (int ir = 0; ir < rows; ir += width, packed += width * depth)
        {
            int live = Math.Min(width, rows - ir);
            double* source = x.Data + (nint)(i0 + ir) * x.RowStride + (nint)p0 * x.ColumnStride;
            int p = 0;
            if (Avx.IsSupported && x.ColumnStride == 1 && live == width)
                for (; p + 4 <= depth; p += 4)
                    for (int r = 0; r < width; r += 4)
                        Transpose4x4(source + (nint)r * x.RowStride + p, x.RowStride, packed + p * width + r, width);
            for (; p < depth; p++)
            {
                double* from = source + (nint)p * x.ColumnStride, to = packed + p * width;
                for (int r = 0; r < live; r++) to[r] = from[(nint)r * x.RowStride];
                for (int r = live; r < width; r++) to[r] = 0.0;
            }
        }
    }

    /// <summary>Writes the 4 × 4 block at <paramref name="from"/> (rows <paramref name="stride"/> apart) transposed to
    /// <paramref name="to"/> (rows <paramref name="width"/> apart): four loads, eight shuffles and four stores instead of
    /// sixteen scalar moves, which halved the time of the forward product's packing of W (the benchmark in docs/performance.md).</summary>
    private static void Transpose4x4(double* from, nint stride, double* to, int width)
    {
        var row0 = Avx.LoadVector256(from);
        var row1 = Avx.LoadVector256(from + stride);
        var row2 = Avx.LoadVector256(from + 2 * stride);
        var row3 = Avx.LoadVector256(from + 3 * stride);
        var even01 = Avx.UnpackLow(row0, row1);
        var odd01 = Avx.UnpackHigh(row0, row1);
        var even23 = Avx.UnpackLow(row2, row3);
        var odd23 = Avx.UnpackHigh(row2, row3);
        Avx.Store(to, Avx.Permute2x128(even01, even23, 0x20));
        Avx.Store(to + width, Avx.Permute2x128(odd01, odd23, 0x20));
        Avx.Store(to + 2 * width, Avx.Permute2x128(even01, even23, 0x31));
        Avx.Store(to + 3 * width, Avx.Permute2x128(odd01, odd23, 0x31));
    }

    /// <summary>
    /// <c>C[r, c] = α·Σₚ A[r, p]·B[p, c]</c> (plus C[r, c] when <paramref name="add"/>) for one micro-tile of up to
    /// <see cref="MicroRows"/> rows × two vectors of columns: per shared index, two vector loads of B, eight broadcasts of A
    /// and sixteen FMAs. A tile at the edge of C is computed whole (B's packing padded it with zeros, missing rows of A repeat its
    /// last row) and only its live part stored.
    /// </summary>
    private static void MicroKernel<TWidth, TVector>(double* a, nint rowStride, nint columnStride, double* b, nint bStride, int depth,
        double* c, int ldc, int rows, int columns, double alpha, bool add, double* tile)
        where TWidth : IVectorWidth<TVector> where TVector : struct
    {
        int lanes = TWidth.Lanes;
        // Rows past the edge of A re-read its last row, so that no read leaves A; their outputs are not stored.
        double* a0 = a, a1 = a + Math.Min(1, rows - 1) * rowStride, a2 = a + Math.Min(2, rows - 1) * rowStride;
        double* a3 = a + Math.Min(3, rows - 1) * rowStride, a4 = a + Math.Min(4, rows - 1) * rowStride, a5 = a + Math.Min(5, rows - 1) * rowStride;
        double* a6 = a + Math.Min(6, rows - 1) * rowStride, a7 = a + Math.Min(7, rows - 1) * rowStride;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        TVector c60 = default, c61 = default, c70 = default, c71 = default;
        nint offset = 0;
        for (int p = 0; p < depth; p++, offset += columnStride, b += bStride)
        {
            var b0 = TWidth.Load(b);
            var b1 = TWidth.Load(b + lanes);
            var x = TWidth.Broadcast(a0[offset]); c00 = TWidth.FusedMultiplyAdd(x, b0, c00); c01 = TWidth.FusedMultiplyAdd(x, b1, c01);
            x = TWidth.Broadcast(a1[offset]); c10 = TWidth.FusedMultiplyAdd(x, b0, c10); c11 = TWidth.FusedMultiplyAdd(x, b1, c11);
            x = TWidth.Broadcast(a2[offset]); c20 = TWidth.FusedMultiplyAdd(x, b0, c20); c21 = TWidth.FusedMultiplyAdd(x, b1, c21);
            x = TWidth.Broadcast(a3[offset]); c30 = TWidth.FusedMultiplyAdd(x, b0, c30); c31 = TWidth.FusedMultiplyAdd(x, b1, c31);
            x = TWidth.Broadcast(a4[offset]); c40 = TWidth.FusedMultiplyAdd(x, b0, c40); c41 = TWidth.FusedMultiplyAdd(x, b1, c41);
            x = TWidth.Broadcast(a5[offset]); c50 = TWidth.FusedMultiplyAdd(x, b0, c50); c51 = TWidth.FusedMultiplyAdd(x, b1, c51);
            x = TWidth.Broadcast(a6[offset]); c60 = TWidth.FusedMultiplyAdd(x, b0, c60); c61 = TWidth.FusedMultiplyAdd(x, b1, c61);
            x = TWidth.Broadcast(a7[offset]); c70 = TWidth.FusedMultiplyAdd(x, b0, c70); c71 = TWidth.FusedMultiplyAdd(x, b1, c71);
        }
        // A tile cut by the right edge of C is stored through a scratch tile, so that both paths share StoreRow's arithmetic.
        int microColumns = 2 * lanes;
        bool wholeRows = columns == microColumns;
        double* target = wholeRows ? c : tile;
        int stride = wholeRows ? ldc : microColumns;
        if (!wholeRows)
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < columns; j++)
                    tile[r * stride + j] = c[r * ldc + j];
        var scale = TWidth.Broadcast(alpha);
        StoreRow<TWidth, TVector>(target, c00, c01, scale, add);
        if (rows > 1) StoreRow<TWidth, TVector>(target + stride, c10, c11, scale, add);
        if (rows > 2) StoreRow<TWidth, TVector>(target + 2 * stride, c20, c21, scale, add);
        if (rows > 3) StoreRow<TWidth, TVector>(target + 3 * stride, c30, c31, scale, add);
        if (rows > 4) StoreRow<TWidth, TVector>(target + 4 * stride, c40, c41, scale, add);
        if (rows > 5) StoreRow<TWidth, TVector>(target + 5 * stride, c50, c51, scale, add);
        if (rows > 6) StoreRow<TWidth, TVector>(target + 6 * stride, c60, c61, scale, add);
        if (rows > 7) StoreRow<TWidth, TVector>(target + 7 * stride, c70, c71, scale, add);
        if (!wholeRows)
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < columns; j++)
                    c[r * ldc + j] = tile[r * stride + j];
    }

    /// <summary>Row ← α·sums, or row + α·sums when adding to C.</summary>
    private static void StoreRow<TWidth, TVector>(double* row, TVector left, TVector right, TVector alpha, bool add)
        where TWidth : IVectorWidth<TVector> where TVector : struct
    {
        int lanes = TWidth.Lanes;
        TWidth.Store(add ? TWidth.Add(TWidth.Load(row), TWidth.Multiply(alpha, left)) : TWidth.Multiply(alpha, left), row);
        TWidth.Store(add ? TWidth.Add(TWidth.Load(row + lanes), TWidth.Multiply(alpha, right)) : TWidth.Multiply(alpha, right), row + lanes);
    }
}
