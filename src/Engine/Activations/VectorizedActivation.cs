using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Activations;

/// <summary>A scalar function that also has an exact <see cref="Vector{T}"/> form, lane for lane the same formula.</summary>
public interface IVectorFunction : IScalarFunction
{
    /// <summary>σ(z) on every lane.</summary>
    /// <param name="z">Pre-activations.</param>
    Vector<double> Value(Vector<double> z);

    /// <summary>σ'(z) on every lane, given a = σ(z).</summary>
    /// <param name="z">Pre-activations.</param>
    /// <param name="a">σ(z).</param>
    Vector<double> Derivative(Vector<double> z, Vector<double> a);
}

/// <summary>
/// Template for an elementwise activation with a SIMD form: the main loop steps by <see cref="Vector{T}.Count"/>,
/// then a scalar tail uses the same function's scalar form. The loop is written once here.
/// </summary>
/// <typeparam name="TFunction">The function, a struct so that the JIT specializes and inlines it.</typeparam>
/// <param name="function">σ, with its hyperparameters.</param>
public abstract class VectorizedActivation<TFunction>(TFunction function) : Activation where TFunction : struct, IVectorFunction
{
    /// <summary>σ, with its hyperparameters.</summary>
    protected readonly TFunction Rule = function;

    private static int Lanes => Vector<double>.Count;

    /// <inheritdoc/>
    protected sealed override void ForwardCore(ReadOnlySpan<double> z, Span<double> a, int width)
    {
        ref double zRef = ref MemoryMarshal.GetReference(z);
        ref double aRef = ref MemoryMarshal.GetReference(a);
        int i = 0;
        for (; i + Lanes <= z.Length; i += Lanes)
            Rule.Value(Vector.LoadUnsafe(ref zRef, (nuint)i)).StoreUnsafe(ref aRef, (nuint)i);
        for (; i < z.Length; i++) Unsafe.Add(ref aRef, i) = Rule.Value(Unsafe.Add(ref zRef, i));
    }

    /// <inheritdoc/>
    protected sealed override void BackwardCore(ReadOnlySpan<double> z, ReadOnlySpan<double> a, ReadOnlySpan<double> gradientA, Span<double> gradientZ, int width)
    {
        ref double zRef = ref MemoryMarshal.GetReference(z);
        ref double aRef = ref MemoryMarshal.GetReference(a);
        ref double gRef = ref MemoryMarshal.GetReference(gradientA);
        ref double dRef = ref MemoryMarshal.GetReference(gradientZ);
        int i = 0;
        for (; i + Lanes <= z.Length; i += Lanes)
        {
            var derivative = Rule.Derivative(Vector.LoadUnsafe(ref zRef, (nuint)i), Vector.LoadUnsafe(ref aRef, (nuint)i));
            (Vector.LoadUnsafe(ref gRef, (nuint)i) * derivative).StoreUnsafe(ref dRef, (nuint)i);
        }
        for (; i < z.Length; i++)
            Unsafe.Add(ref dRef, i) = Unsafe.Add(ref gRef, i) * Rule.Derivative(Unsafe.Add(ref zRef, i), Unsafe.Add(ref aRef, i));
    }
}
