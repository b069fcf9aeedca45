namespace Engine.Kernels.Reference;

/// <summary>
/// The specification of <see cref="VectorOps"/>: each operation as the plainest loop over its elements. The tests hold
/// the vector kernels to these.
/// </summary>
/// <remarks>
/// The elementwise operations round each element once, as their kernels do, so kernel and twin agree bit for bit. The
/// sums (<see cref="Sum"/>, <see cref="SumOfSquares"/>, <see cref="SquaredDistance"/>) add their terms here in index
/// order and in the kernels lane by lane, so the two agree to rounding: within (n − 1)·2⁻⁵³·Σᵢ|termᵢ|. <see cref="ExpSum"/>
/// also differs in its exponential (Math.Exp here, Vector.Exp in the kernel, at most 2 ulp apart).
/// </remarks>
public static class NaiveVectorOps
{
    /// <summary><c>y[i] = α·x[i] + y[i]</c> for i &lt; <c>x.Length</c>, rounded once (a fused multiply-add), as the kernel's FMA.</summary>
    /// <param name="x">The increment.</param>
    /// <param name="alpha">Its scale.</param>
    /// <param name="y">The vector updated in place, at least as long as <paramref name="x"/>.</param>
    public static void ScaledAdd(ReadOnlySpan<double> x, double alpha, Span<double> y)
    {
        Guard.Vector(y.Length, x.Length, nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] = Math.FusedMultiplyAdd(alpha, x[i], y[i]);
    }

    /// <summary><c>M[i, j] = M[i, j] + v[j]</c> for every row i and column j.</summary>
    /// <param name="matrix">Row-major matrix updated in place.</param>
    /// <param name="rows">Its number of rows.</param>
    /// <param name="vector">The row vector added to each row; its length is the number of columns.</param>
    public static void AddToRows(Span<double> matrix, int rows, ReadOnlySpan<double> vector)
    {
        int columns = vector.Length;
        Guard.Matrix(matrix.Length, rows, columns, nameof(matrix));
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) matrix[i * columns + j] += vector[j];
    }

    /// <summary><c>s[j] = α·(M[0, j] + M[1, j] + … + M[rows − 1, j])</c>, the rows added in order.</summary>
    /// <param name="matrix">Row-major matrix, <paramref name="rows"/> × <c>sums.Length</c>.</param>
    /// <param name="rows">Its number of rows.</param>
    /// <param name="alpha">Scale applied to each sum.</param>
    /// <param name="sums">Receives one sum per column.</param>
    public static void SumColumns(ReadOnlySpan<double> matrix, int rows, double alpha, Span<double> sums)
    {
        int columns = sums.Length;
        Guard.Matrix(matrix.Length, rows, columns, nameof(matrix));
        for (int j = 0; j < columns; j++)
        {
            double sum = 0.0;
            for (int i = 0; i < rows; i++) sum += matrix[i * columns + j];
            sums[j] = alpha * sum;
        }
    }

    /// <summary><c>x[i] = α·x[i]</c>.</summary>
    /// <param name="x">The vector scaled in place.</param>
    /// <param name="alpha">The factor.</param>
    public static void Scale(Span<double> x, double alpha)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= alpha;
    }

    /// <summary><c>x[i] = x[i] + value</c>.</summary>
    /// <param name="x">The vector updated in place.</param>
    /// <param name="value">The value added.</param>
    public static void AddScalar(Span<double> x, double value)
    {
        for (int i = 0; i < x.Length; i++) x[i] += value;
    }

    /// <summary><c>x[0] + x[1] + … + x[n − 1]</c>, in index order.</summary>
    /// <param name="x">The values.</param>
    public static double Sum(ReadOnlySpan<double> x)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++) sum += x[i];
        return sum;
    }

    /// <summary>
    /// <c>e[i] = Math.Exp(x[i] − shift)</c>, stored unless <paramref name="exps"/> is empty, and their sum in index order. The
    /// kernel takes <see cref="System.Numerics.Vector.Exp(System.Numerics.Vector{double})"/>, within 2 ulp of Math.Exp.
    /// </summary>
    /// <param name="x">The exponents before the shift.</param>
    /// <param name="shift">Subtracted from each.</param>
    /// <param name="exps">Receives the e[i]: empty, or at least as long as <paramref name="x"/>.</param>
    public static double ExpSum(ReadOnlySpan<double> x, double shift, Span<double> exps)
    {
        if (!exps.IsEmpty) Guard.Vector(exps.Length, x.Length, nameof(exps));
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = Math.Exp(x[i] - shift);
            if (!exps.IsEmpty) exps[i] = e;
            sum += e;
        }
        return sum;
    }

    /// <summary><c>x[0]² + x[1]² + … + x[n − 1]²</c>, in index order.</summary>
    /// <param name="x">The values.</param>
    public static double SumOfSquares(ReadOnlySpan<double> x)
    {
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++) sum += x[i] * x[i];
        return sum;
    }

    /// <summary><c>Σᵢ (x[i] − y[i])²</c> over i &lt; <c>x.Length</c>, in index order.</summary>
    /// <param name="x">The values.</param>
    /// <param name="y">The values subtracted, at least as long as <paramref name="x"/>.</param>
    public static double SquaredDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Guard.Vector(y.Length, x.Length, nameof(y));
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++) sum += (x[i] - y[i]) * (x[i] - y[i]);
        return sum;
    }

    /// <summary>The first i at which x[i] is NaN or ±∞, or −1 when there is none.</summary>
    /// <param name="x">The values to scan.</param>
    public static int IndexOfNonFinite(ReadOnlySpan<double> x)
    {
        for (int i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i])) return i;
        return -1;
    }
}
