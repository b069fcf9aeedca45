using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels;

/// <summary>
/// The vector operations <see cref="PackedProduct"/>'s micro-kernel is written with, at one vector width. The micro-kernel is
/// one generic template over this interface, which the JIT specializes per width, as .NET's TensorPrimitives writes each
/// operation once for every width.
/// </summary>
/// <typeparam name="TVector">The vector type of the width.</typeparam>
internal unsafe interface IVectorWidth<TVector> where TVector : struct
{
    /// <summary>Doubles per vector.</summary>
    static abstract int Lanes { get; }

    /// <summary>The vector of <see cref="Lanes"/> doubles at <paramref name="source"/>.</summary>
    static abstract TVector Load(double* source);

    /// <summary>Writes <paramref name="value"/> to the <see cref="Lanes"/> doubles at <paramref name="target"/>.</summary>
    static abstract void Store(TVector value, double* target);

    /// <summary><paramref name="value"/> in every lane.</summary>
    static abstract TVector Broadcast(double value);

    /// <summary><c>x·y + addend</c> in each lane, rounded once.</summary>
    static abstract TVector FusedMultiplyAdd(TVector x, TVector y, TVector addend);

    /// <summary><c>x·y</c> in each lane.</summary>
    static abstract TVector Multiply(TVector x, TVector y);

    /// <summary><c>x + y</c> in each lane.</summary>
    static abstract TVector Add(TVector x, TVector y);
}

/// <summary><see cref="Vector{T}"/>, the portable width: whatever the runtime makes it on this machine (2, 4 or 8 doubles).</summary>
internal readonly unsafe struct PortableWidth : IVectorWidth<Vector<double>>
{
    public static int Lanes => Vector<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Load(double* source) => Vector.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector<double> value, double* target) => value.Store(target);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Broadcast(double value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> FusedMultiplyAdd(Vector<double> x, Vector<double> y, Vector<double> addend) => Vector.FusedMultiplyAdd(x, y, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Multiply(Vector<double> x, Vector<double> y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Add(Vector<double> x, Vector<double> y) => x + y;
}

/// <summary><see cref="Vector512{T}"/>: eight doubles, for hardware that runs 512-bit FMAs (<see cref="PackedProduct.Uses512Bits"/>).</summary>
internal readonly unsafe struct Width512 : IVectorWidth<Vector512<double>>
{
    public static int Lanes => Vector512<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(double* source) => Vector512.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<double> value, double* target) => value.Store(target);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Broadcast(double value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> FusedMultiplyAdd(Vector512<double> x, Vector512<double> y, Vector512<double> addend) => Vector512.FusedMultiplyAdd(x, y, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Multiply(Vector512<double> x, Vector512<double> y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> x, Vector512<double> y) => x + y;
}
