using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Optimizers;

/// <summary>
/// An optimizer's update of each element, written once on <see cref="Vector{T}"/>s: θ and up to three state values change in
/// place given g. The rule's per-step constants (γ, β, bias corrections) are fields of the struct.
/// </summary>
public interface IElementwiseRule
{
    /// <summary>Updates <see cref="Vector{T}.Count"/> elements.</summary>
    /// <param name="value">θ.</param>
    /// <param name="gradient">g.</param>
    /// <param name="first">State buffer 0 (unused if the optimizer keeps none).</param>
    /// <param name="second">State buffer 1 (unused if it keeps fewer than two).</param>
    /// <param name="third">State buffer 2 (unused if it keeps fewer than three).</param>
    void Update(ref Vector<double> value, Vector<double> gradient, ref Vector<double> first, ref Vector<double> second, ref Vector<double> third);
}

/// <summary>
/// The one loop every element-wise optimizer runs: whole vectors, then the remainder padded to a vector (with zeros, which no
/// rule divides by unguarded), so each rule is written once and every element sees exactly the same operations.
/// </summary>
public static class ElementwiseRule
{
    /// <summary>The most state buffers a parameter can keep.</summary>
    public const int MaxBuffers = 3;

    private static int Lanes => Vector<double>.Count;

    /// <summary>Applies <paramref name="rule"/> to every element of one parameter.</summary>
    /// <param name="rule">The update.</param>
    /// <param name="values">θ, updated in place.</param>
    /// <param name="gradient">g, as long as θ.</param>
    /// <param name="state">The parameter's buffers, each as long as θ.</param>
    public static void Apply<TRule>(TRule rule, Span<double> values, ReadOnlySpan<double> gradient, ParameterState state)
        where TRule : struct, IElementwiseRule
    {
        int n = values.Length;
        if (gradient.Length != n) throw new ArgumentException($"gradient must have {n} values, but has {gradient.Length}.", nameof(gradient));
        var a = state.Count > 0 ? state[0] : [];
        var b = state.Count > 1 ? state[1] : [];
        var c = state.Count > 2 ? state[2] : [];
        ref double v = ref MemoryMarshal.GetReference(values);
        ref double g = ref MemoryMarshal.GetReference(gradient);
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        int i = 0;
        for (; i + Lanes <= n; i += Lanes) Run(rule, ref Unsafe.Add(ref v, i), ref Unsafe.Add(ref g, i), ref Unsafe.Add(ref ra, i), ref Unsafe.Add(ref rb, i), ref Unsafe.Add(ref rc, i), state.Count);
        int rest = n - i;
        if (rest == 0) return;
        Span<double> padded = stackalloc double[5 * Vector<double>.Count];
        padded.Clear();
        Span<double> pv = padded[..Lanes], pg = padded.Slice(Lanes, Lanes), pa = padded.Slice(2 * Lanes, Lanes),
            pb = padded.Slice(3 * Lanes, Lanes), pc = padded.Slice(4 * Lanes, Lanes);
        values[i..].CopyTo(pv);
        gradient[i..].CopyTo(pg);
        if (state.Count > 0) a[i..].CopyTo(pa);
        if (state.Count > 1) b[i..].CopyTo(pb);
        if (state.Count > 2) c[i..].CopyTo(pc);
        Run(rule, ref pv[0], ref pg[0], ref pa[0], ref pb[0], ref pc[0], state.Count);
        pv[..rest].CopyTo(values[i..]);
        if (state.Count > 0) pa[..rest].CopyTo(a[i..]);
        if (state.Count > 1) pb[..rest].CopyTo(b[i..]);
        if (state.Count > 2) pc[..rest].CopyTo(c[i..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<TRule>(TRule rule, ref double v, ref double g, ref double a, ref double b, ref double c, int buffers)
        where TRule : struct, IElementwiseRule
    {
        var value = Vector.LoadUnsafe(ref v);
        var first = buffers > 0 ? Vector.LoadUnsafe(ref a) : default;
        var second = buffers > 1 ? Vector.LoadUnsafe(ref b) : default;
        var third = buffers > 2 ? Vector.LoadUnsafe(ref c) : default;
        rule.Update(ref value, Vector.LoadUnsafe(ref g), ref first, ref second, ref third);
        value.StoreUnsafe(ref v);
        if (buffers > 0) first.StoreUnsafe(ref a);
        if (buffers > 1) second.StoreUnsafe(ref b);
        if (buffers > 2) third.StoreUnsafe(ref c);
    }
}
