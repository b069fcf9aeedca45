namespace Engine.Kernels;

/// <summary>Argument checks shared by the kernels: each message names the argument, the expected and the actual size.</summary>
internal static class Guard
{
    /// <summary>Throws unless <paramref name="length"/> holds at least <paramref name="required"/> elements.</summary>
    public static void Length(int length, long required, string argument, string shape)
    {
        if (length < required)
            throw new ArgumentException(
                $"{argument} must hold at least {required} elements for shape {shape}, but has {length}.", argument);
    }

    /// <summary>Throws unless every dimension is non-negative.</summary>
    public static void Dimensions(int m, int n, int k)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix dimensions must be non-negative, got m={m}, n={n}, k={k}.");
    }
}
