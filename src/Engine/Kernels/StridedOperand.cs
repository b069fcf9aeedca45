namespace Engine.Kernels;

/// <summary>
/// A matrix operand seen through strides: element (row, column) lies at <c>Data[row·RowStride + column·ColumnStride]</c>,
/// so one packing loop reads a row-major matrix (RowStride = columns, ColumnStride = 1) or its transpose (the strides swapped).
/// </summary>
/// <remarks>A raw pointer rather than a span, so that a worker thread can read it; the caller keeps it pinned until the product returns.</remarks>
internal readonly unsafe struct StridedOperand(double* data, int rowStride, int columnStride)
{
    /// <summary>Element (0, 0).</summary>
    public readonly double* Data = data;

    /// <summary>Distance between consecutive rows.</summary>
    public readonly int RowStride = rowStride;

    /// <summary>Distance between consecutive columns.</summary>
    public readonly int ColumnStride = columnStride;
}

/// <summary>One product <c>C[m×n] = α·A[m×k]·B[k×n]</c>, added to C when <see cref="Accumulate"/> is set; C is row-major with n columns.</summary>
internal readonly unsafe struct ProductTask(StridedOperand a, StridedOperand b, double* c, int m, int n, int k, double alpha, bool accumulate)
{
    public readonly StridedOperand A = a, B = b;
    public readonly double* C = c;
    public readonly int M = m, N = n, K = k;
    public readonly double Alpha = alpha;
    public readonly bool Accumulate = accumulate;
}
