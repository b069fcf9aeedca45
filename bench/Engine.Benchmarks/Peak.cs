using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Engine.Kernels;

namespace Engine.Benchmarks;

/// <summary>
/// The one-core float64 peak: twelve independent FMA chains that never touch memory, at 512 and at 256 bits, written once over
/// the engine's vector widths. The machine's peak is that of the widest width the hardware accelerates: 512 bits where
/// <see cref="Vector512.IsHardwareAccelerated"/>, else 256. The same chains on two threads at once give the two-core peak.
/// </summary>
public class Peak
{
    /// <summary>Steps of each chain per call.</summary>
    public const int Iterations = 1 << 20;

    /// <summary>Independent chains: more than FMA latency × FMA pipes, so that the pipes never wait.</summary>
    public const int Chains = 12;

    /// <summary>Floating-point operations of one call at <paramref name="lanes"/> doubles per vector (an FMA is two).</summary>
    public static double Flops(int lanes) => 2.0 * Chains * lanes * Iterations;

    /// <summary>The width of the machine's peak: 512 bits where the hardware accelerates them.</summary>
    public static int MachineBits => Vector512.IsHardwareAccelerated ? 512 : 256;

    [Benchmark(Description = "peak: 512-bit FMA chains")]
    public Vector512<double> FmaChains512() => FmaChains<Width512, Vector512<double>>();

    [Benchmark(Description = "peak: 256-bit FMA chains")]
    public Vector256<double> FmaChains256() => FmaChains<Width256, Vector256<double>>();

    /// <summary>The machine-width chains on two threads at once, split as the engine splits a pass (<see cref="RangeThreads"/>):
    /// the two-core peak, against which two-thread speed-ups are bounded on this machine.</summary>
    [Benchmark(Description = "peak: machine-width FMA chains, two threads at once")]
    public void FmaChainsTwoThreads() => RangeThreads.Run(new BothCores(), 2, Flops(MachineBits / 64), threads: 2, minimumWork: 0);

    /// <summary>One call of the machine-width chains per item.</summary>
    private readonly struct BothCores : IRangeWork
    {
        public void Run(int start, int end)
        {
            for (int item = start; item < end; item++)
                if (MachineBits == 512) FmaChains<Width512, Vector512<double>>();
                else FmaChains<Width256, Vector256<double>>();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TVector FmaChains<TWidth, TVector>() where TWidth : IVectorWidth<TVector> where TVector : struct
    {
        var m = TWidth.Broadcast(0.999999);
        var a = TWidth.Broadcast(1e-9);
        TVector s0 = TWidth.Broadcast(1.0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0;
        TVector s6 = s0, s7 = s0, s8 = s0, s9 = s0, s10 = s0, s11 = s0;
        for (int i = 0; i < Iterations; i++)
        {
            s0 = TWidth.FusedMultiplyAdd(s0, m, a); s1 = TWidth.FusedMultiplyAdd(s1, m, a);
            s2 = TWidth.FusedMultiplyAdd(s2, m, a); s3 = TWidth.FusedMultiplyAdd(s3, m, a);
            s4 = TWidth.FusedMultiplyAdd(s4, m, a); s5 = TWidth.FusedMultiplyAdd(s5, m, a);
            s6 = TWidth.FusedMultiplyAdd(s6, m, a); s7 = TWidth.FusedMultiplyAdd(s7, m, a);
            s8 = TWidth.FusedMultiplyAdd(s8, m, a); s9 = TWidth.FusedMultiplyAdd(s9, m, a);
            s10 = TWidth.FusedMultiplyAdd(s10, m, a); s11 = TWidth.FusedMultiplyAdd(s11, m, a);
        }
        var sum = TWidth.Add(TWidth.Add(TWidth.Add(s0, s1), TWidth.Add(s2, s3)), TWidth.Add(TWidth.Add(s4, s5), TWidth.Add(s6, s7)));
        return TWidth.Add(sum, TWidth.Add(TWidth.Add(s8, s9), TWidth.Add(s10, s11)));
    }
}

/// <summary><see cref="Vector256{T}"/>, four doubles: the 256-bit peak beside the machine's.</summary>
internal readonly unsafe struct Width256 : IVectorWidth<Vector256<double>>
{
    public static int Lanes => Vector256<double>.Count;
    public static Vector256<double> Load(double* source) => Vector256.Load(source);
    public static void Store(Vector256<double> value, double* target) => value.Store(target);
    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);
    public static Vector256<double> FusedMultiplyAdd(Vector256<double> x, Vector256<double> y, Vector256<double> addend) => Vector256.FusedMultiplyAdd(x, y, addend);
    public static Vector256<double> Multiply(Vector256<double> x, Vector256<double> y) => x * y;
    public static Vector256<double> Add(Vector256<double> x, Vector256<double> y) => x + y;
}
