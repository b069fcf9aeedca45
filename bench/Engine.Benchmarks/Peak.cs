using System.Numerics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace Engine.Benchmarks;

/// <summary>The machine's one-core float64 peak: twelve independent FMA chains that never touch memory.</summary>
public class Peak
{
    /// <summary>FMAs per call: 12 chains × Count lanes × Iterations.</summary>
    public const int Iterations = 1 << 20;

    /// <summary>Floating-point operations per call (an FMA is two).</summary>
    public static double Flops => 2.0 * 12 * Vector<double>.Count * Iterations;

    [Benchmark]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public double FmaChains()
    {
        var m = new Vector<double>(0.999999);
        var a = new Vector<double>(1e-9);
        Vector<double> s0 = Vector<double>.One, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
        Vector<double> s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0, s11 = s0;
        for (int i = 0; i < Iterations; i++)
        {
            s0 = Vector.FusedMultiplyAdd(s0, m, a); s1 = Vector.FusedMultiplyAdd(s1, m, a);
            s2 = Vector.FusedMultiplyAdd(s2, m, a); s3 = Vector.FusedMultiplyAdd(s3, m, a);
            s4 = Vector.FusedMultiplyAdd(s4, m, a); s5 = Vector.FusedMultiplyAdd(s5, m, a);
            s6 = Vector.FusedMultiplyAdd(s6, m, a); s7 = Vector.FusedMultiplyAdd(s7, m, a);
            s8 = Vector.FusedMultiplyAdd(s8, m, a); s9 = Vector.FusedMultiplyAdd(s9, m, a);
            s10 = Vector.FusedMultiplyAdd(s10, m, a); s11 = Vector.FusedMultiplyAdd(s11, m, a);
        }
        return Vector.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }
}
