using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels;

/// <summary>
/// Max and average pooling of one sample, forward and backward. Naive twin: <see cref="Reference.NaivePooling"/>, which the kernels
/// match bit for bit.
/// </summary>
/// <remarks>
/// The forward kernels pool an output row's windows a vector at a time: lane q pools the window whose left edge is column q,
/// visiting its elements in the naive twin's row-major order, so each lane does exactly the naive arithmetic. With a stride s,
/// every s-th lane is an output; the others pool windows no output needs, which costs less than gathering strided columns one
/// by one. Windows whose vector would read past the sample are pooled one at a time. The loop is written once
/// (<see cref="Pool{TRule}"/>) over a rule for combining a window's elements.
/// </remarks>
internal static class Pooling
{
    private static int Lanes => Vector<double>.Count;

    /// <summary>Each output is its window's largest value; <paramref name="chosen"/> receives where it lies in the sample (the first
    /// maximum in row-major window order).</summary>
    /// <param name="image">One sample, <c>[Channels, Height, Width]</c>.</param>
    /// <param name="shape">The pooling.</param>
    /// <param name="output">Receives the sample's outputs, <c>[Channels, OutputHeight, OutputWidth]</c>.</param>
    /// <param name="chosen">Receives, per output, the index in <paramref name="image"/> of the value it took.</param>
    public static void Max(ReadOnlySpan<double> image, in PoolingGeometry shape, Span<double> output, Span<int> chosen) =>
        Pool<Largest>(image, shape, output, chosen[..shape.OutputSize]);

    /// <summary>Each output is its window's mean: the sum in row-major window order, divided by Size².</summary>
    /// <param name="image">One sample.</param>
    /// <param name="shape">The pooling.</param>
    /// <param name="output">Receives the sample's outputs.</param>
    public static void Average(ReadOnlySpan<double> image, in PoolingGeometry shape, Span<double> output) =>
        Pool<Mean>(image, shape, output, []);

    /// <summary>The gradient of <see cref="Max"/>: the sample's input gradient is cleared, then each output's δ is added to the element it took.</summary>
    /// <param name="outputGradient">∂L/∂output of the sample.</param>
    /// <param name="chosen">What <see cref="Max"/> chose.</param>
    /// <param name="shape">The pooling.</param>
    /// <param name="gradient">Receives ∂L/∂input of the sample.</param>
    public static void MaxGradient(ReadOnlySpan<double> outputGradient, ReadOnlySpan<int> chosen, in PoolingGeometry shape, Span<double> gradient)
    {
        gradient = gradient[..shape.InputSize];
        gradient.Clear();
        outputGradient = outputGradient[..shape.OutputSize];
        chosen = chosen[..shape.OutputSize];
        for (int o = 0; o < outputGradient.Length; o++) gradient[chosen[o]] += outputGradient[o];
    }

    /// <summary>The gradient of <see cref="Average"/>: cleared, then each output's δ/Size² added to every element of its window.</summary>
    /// <remarks>One output at a time, as the naive twin: where windows overlap, a pixel receives its shares in output order.</remarks>
    /// <param name="outputGradient">∂L/∂output of the sample.</param>
    /// <param name="shape">The pooling.</param>
    /// <param name="gradient">Receives ∂L/∂input of the sample.</param>
    public static void AverageGradient(ReadOnlySpan<double> outputGradient, in PoolingGeometry shape, Span<double> gradient)
    {
        var (channels, height, width, size, stride, outputHeight, outputWidth) = shape;
        gradient = gradient[..shape.InputSize];
        gradient.Clear();
        outputGradient = outputGradient[..shape.OutputSize];
        for (int c = 0, o = 0; c < channels; c++)
            for (int y = 0; y < outputHeight; y++)
                for (int x = 0; x < outputWidth; x++, o++)
                {
                    double share = outputGradient[o] / (size * size);
                    var window = gradient.Slice((c * height + y * stride) * width + x * stride);
                    for (int i = 0; i < size; i++)
                        for (int j = 0; j < size; j++) window[i * width + j] += share;
                }
    }

    /// <summary>How the elements of a window combine, in vectors (one window per lane) and one window at a time.</summary>
    private interface IRule
    {
        /// <summary>The state before the first element.</summary>
        static abstract Vector<double> Start(Vector<double> first);

        /// <summary>The state after one more element, at <paramref name="offset"/> from the window's first; <paramref name="where"/>
        /// tracks the chosen element's offset for rules that choose one.</summary>
        static abstract Vector<double> Combine(Vector<double> state, Vector<double> value, Vector<double> offset, ref Vector<double> where);

        /// <inheritdoc cref="Start(Vector{double})"/>
        static abstract double Start(double first);

        /// <inheritdoc cref="Combine(Vector{double}, Vector{double}, Vector{double}, ref Vector{double})"/>
        static abstract double Combine(double state, double value, int offset, ref int where);

        /// <summary>The output from the final state of a window of Size² elements.</summary>
        static abstract double Finish(double state, int size);
    }

    /// <summary>The first largest element: a later one replaces it only when strictly greater.</summary>
    private readonly struct Largest : IRule
    {
        public static Vector<double> Start(Vector<double> first) => first;
        public static Vector<double> Combine(Vector<double> state, Vector<double> value, Vector<double> offset, ref Vector<double> where)
        {
            var greater = Vector.GreaterThan(value, state);
            where = Vector.ConditionalSelect(greater, offset, where);
            return Vector.ConditionalSelect(greater, value, state);
        }
        public static double Start(double first) => first;
        public static double Combine(double state, double value, int offset, ref int where)
        {
            if (!(value > state)) return state;
            where = offset;
            return value;
        }
        public static double Finish(double state, int size) => state;
    }

    /// <summary>The sum from 0, divided by Size² at the end.</summary>
    private readonly struct Mean : IRule
    {
        public static Vector<double> Start(Vector<double> first) => Vector<double>.Zero;
        public static Vector<double> Combine(Vector<double> state, Vector<double> value, Vector<double> offset, ref Vector<double> where) => state + value;
        public static double Start(double first) => 0.0;
        public static double Combine(double state, double value, int offset, ref int where) => state + value;
        public static double Finish(double state, int size) => state / (size * size);
    }

    /// <summary>Pools every window of the sample by <typeparamref name="TRule"/>; <paramref name="chosen"/>, unless empty, receives
    /// the index in the sample of each output's chosen element.</summary>
    private static void Pool<TRule>(ReadOnlySpan<double> image, in PoolingGeometry shape, Span<double> output, Span<int> chosen) where TRule : IRule
    {
        var (channels, height, width, size, stride, outputHeight, outputWidth) = shape;
        image = image[..shape.InputSize];
        output = output[..shape.OutputSize];
        ref double pixels = ref MemoryMarshal.GetReference(image);
        Span<double> states = stackalloc double[Lanes], wheres = stackalloc double[Lanes];
        // Outputs per vector of windows (lanes 0, s, 2s, …), and how far past its first window's left edge the vector reads.
        int perVector = (Lanes + stride - 1) / stride, reach = (size - 1) * width + size - 1 + Lanes - 1;
        for (int c = 0, o = 0; c < channels; c++)
            for (int y = 0; y < outputHeight; y++, o += outputWidth)
            {
                int rowStart = (c * height + y * stride) * width, x = 0;
                for (; x < outputWidth && rowStart + x * stride + reach < image.Length; x += perVector)
                {
                    int first = rowStart + x * stride;
                    var state = TRule.Start(Vector.LoadUnsafe(ref pixels, (nuint)first));
                    var where = Vector<double>.Zero;
                    for (int i = 0; i < size; i++)
                        for (int j = 0; j < size; j++)
                            state = TRule.Combine(state, Vector.LoadUnsafe(ref pixels, (nuint)(first + i * width + j)), new Vector<double>(i * width + j), ref where);
                    state.CopyTo(states);
                    where.CopyTo(wheres);
                    for (int lane = 0; lane < perVector && x + lane < outputWidth; lane++)
                    {
                        output[o + x + lane] = TRule.Finish(states[lane * stride], size);
                        if (!chosen.IsEmpty) chosen[o + x + lane] = first + lane * stride + (int)wheres[lane * stride];
                    }
                }
                for (; x < outputWidth; x++)
                {
                    int first = rowStart + x * stride, where = 0;
                    double state = TRule.Start(Unsafe.Add(ref pixels, first));
                    for (int i = 0; i < size; i++)
                        for (int j = 0; j < size; j++) state = TRule.Combine(state, Unsafe.Add(ref pixels, first + i * width + j), i * width + j, ref where);
                    output[o + x] = TRule.Finish(state, size);
                    if (!chosen.IsEmpty) chosen[o + x] = first + where;
                }
            }
    }
}
