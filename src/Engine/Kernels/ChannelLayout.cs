using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels;

/// <summary>
/// A convolution's values in its two layouts: the layer's, sample after sample (<c>[batch, channels, positions]</c>), and its
/// products', channel after channel with the batch's positions side by side (<c>[channels, rowStride]</c>, sample b at columns
/// <c>[b·positions, (b + 1)·positions)</c>). Each sample's runs of positions are copied whole: <see cref="ToChannels"/> splits the
/// samples over threads, <see cref="ToSamples"/> copies a range of them (the convolution's fused forward pass, <see cref="ConvolutionPasses"/>, splits them).
/// Naive twin: <see cref="Reference.NaiveChannelLayout"/>, which these match bit for bit.
/// </summary>
internal static unsafe class ChannelLayout
{
    private static int Lanes => Vector<double>.Count;

    /// <summary><c>samples[b, c, p] = channels[c, b·positions + p] + bias[c]</c> for samples b in [<paramref name="start"/>,
    /// <paramref name="end"/>): the products' Z back into the layer's z, plus the bias.</summary>
    /// <param name="channels">Channel-major values, <c>bias.Length</c> rows of <paramref name="rowStride"/>.</param>
    /// <param name="rowStride">Columns of <paramref name="channels"/>, at least end·positions.</param>
    /// <param name="bias">One value per channel.</param>
    /// <param name="positions">Values per channel of a sample.</param>
    /// <param name="samples">Receives <c>[batch, channels, positions]</c>.</param>
    /// <param name="start">The first sample.</param>
    /// <param name="end">One past the last sample.</param>
    public static void ToSamples(ReadOnlySpan<double> channels, int rowStride, ReadOnlySpan<double> bias, int positions, Span<double> samples, int start, int end)
    {
        int count = bias.Length;
        Check(channels.Length, rowStride, count, end, positions, samples.Length);
        for (int b = start; b < end; b++)
            for (int c = 0; c < count; c++)
                AddScalar(channels.Slice(c * rowStride + b * positions, positions), bias[c], samples.Slice((b * count + c) * positions, positions));
    }

    /// <summary><c>channels[c, b·positions + p] = samples[b, c, p]</c>: the layer's δ into the products' layout. Columns past
    /// batch·positions are left as they are.</summary>
    /// <param name="samples">Sample-major values, <c>[batch, count, positions]</c>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="count">Channels.</param>
    /// <param name="positions">Values per channel of a sample.</param>
    /// <param name="channels">Receives the channel-major values, <paramref name="count"/> rows of <paramref name="rowStride"/>.</param>
    /// <param name="rowStride">Columns of <paramref name="channels"/>, at least batch·positions.</param>
    /// <param name="threads">Threads the copy may use, the caller's included.</param>
    public static void ToChannels(ReadOnlySpan<double> samples, int batch, int count, int positions, Span<double> channels, int rowStride, int threads)
    {
        Check(channels.Length, rowStride, count, batch, positions, samples.Length);
        fixed (double* source = samples, target = channels)
            RangeThreads.Run(new Channels(source, count, positions, target, rowStride), batch, count * positions, threads);
    }

    private static void Check(int channelsLength, int rowStride, int count, int batch, int positions, int samplesLength)
    {
        if ((long)batch * positions > rowStride)
            throw new ArgumentOutOfRangeException(nameof(rowStride), rowStride, $"rowStride must hold {batch} samples of {positions} positions.");
        Guard.Matrix(channelsLength, count, rowStride, "channels");
        Guard.Vector(samplesLength, batch * count * positions, "samples");
    }

    /// <summary>Samples [start, end) into the channel-major layout.</summary>
    private readonly struct Channels(double* samples, int count, int positions, double* channels, int rowStride) : IRangeWork
    {
        public void Run(int start, int end)
        {
            for (int b = start; b < end; b++)
                for (int c = 0; c < count; c++)
                    new ReadOnlySpan<double>(samples + ((nint)b * count + c) * positions, positions)
                        .CopyTo(new Span<double>(channels + (nint)c * rowStride + (nint)b * positions, positions));
        }
    }

    /// <summary><c>to[p] = from[p] + value</c> for every p.</summary>
    private static void AddScalar(ReadOnlySpan<double> from, double value, Span<double> to)
    {
        ref double source = ref MemoryMarshal.GetReference(from), target = ref MemoryMarshal.GetReference(to);
        var v = new Vector<double>(value);
        int p = 0, count = from.Length;
        for (; p + Lanes <= count; p += Lanes) (Vector.LoadUnsafe(ref source, (nuint)p) + v).StoreUnsafe(ref target, (nuint)p);
        for (; p < count; p++) Unsafe.Add(ref target, p) = Unsafe.Add(ref source, p) + value;
    }
}
