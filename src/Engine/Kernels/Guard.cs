namespace Engine.Kernels;

/// <summary>Argument checks shared by the kernels: each message names the argument, the expected and the actual size. Messages are built only on failure, so a check allocates nothing.</summary>
internal static class Guard
{
    /// <summary>Throws unless a span of <paramref name="length"/> holds a <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    public static void Matrix(int length, int rows, int columns, string argument)
    {
        if (length < (long)rows * columns)
            throw new ArgumentException(
                $"{argument} must hold at least {(long)rows * columns} elements for shape [{rows}, {columns}], but has {length}.", argument);
    }

    /// <summary>Throws unless a span of <paramref name="length"/> holds <paramref name="required"/> elements.</summary>
    public static void Vector(int length, int required, string argument)
    {
        if (length < required)
            throw new ArgumentException($"{argument} must hold at least {required} elements, but has {length}.", argument);
    }

    /// <summary>Throws unless a row of <paramref name="rowStride"/> columns holds <paramref name="samples"/> samples of
    /// <paramref name="positions"/> columns each (a convolution's matrices).</summary>
    public static void RowStride(int rowStride, int samples, int positions)
    {
        if ((long)samples * positions > rowStride)
            throw new ArgumentOutOfRangeException(nameof(rowStride), rowStride, $"rowStride must hold {samples} samples of {positions} positions.");
    }

    /// <summary>Throws unless every dimension is non-negative.</summary>
    public static void Dimensions(int m, int n, int k)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix dimensions must be non-negative, got m={m}, n={n}, k={k}.");
    }

    /// <summary>Throws unless a product may use at least one thread.</summary>
    public static void Threads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, $"threads must be at least 1, but is {threads}.");
    }
}
