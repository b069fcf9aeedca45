using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels;

/// <summary>
/// A convolution's values in its two layouts: the layer's, sample after sample (<c>[batch, channels, positions]</c>), and its
/// products', channel after channel with the batch's positions side by side (<c>[channels, rowStride]</c>, sample b at columns
/// <c>[b·positions, (b + 1)·positions)</c>). Each sample's runs of positions are copied whole, a range of samples
/// (<see cref="ToSamples"/>) or of channels (<see cref="ToChannels"/>) at a time: the convolution's passes split the ranges over
/// threads (<see cref="ConvolutionPasses"/>, <see cref="Networks.Conv2D"/>).
/// Naive twin: <see cref="Reference.NaiveChannelLayout"/>, which these match bit for bit.
/// </summary>
internal static class ChannelLayout
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

    /// <summary><c>channels[c, b·positions + p] = samples[b, c, p]</c> for channels c in [<paramref name="start"/>,
    /// <paramref name="end"/>): the layer's δ into the products' layout. Columns past batch·positions are left as they are.</summary>
    /// <param name="samples">Sample-major values, <c>[batch, count, positions]</c>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="count">Channels.</param>
    /// <param name="positions">Values per channel of a sample.</param>
    /// <param name="channels">Receives the channel-major values, <paramref name="count"/> rows of <paramref name="rowStride"/>.</param>
    /// <param name="rowStride">Columns of <paramref name="channels"/>, at least batch·positions.</param>
    /// <param name="start">The first channel.</param>
    /// <param name="end">One past the last channel.</param>
    public static void ToChannels(ReadOnlySpan<double> samples, int batch, int count, int positions, Span<double> channels, int rowStride, int start, int end)
    {
        Check(channels.Length, rowStride, count, batch, positions, samples.Length);
        for (int c = start; c < end; c++)
            for (int b = 0; b < batch; b++)
                samples.Slice((b * count + c) * positions, positions).CopyTo(channels.Slice(c * rowStride + b * positions, positions));
    }

    private static void Check(int channelsLength, int rowStride, int count, int batch, int positions, int samplesLength)
    {
        Guard.RowStride(rowStride, batch, positions);
        Guard.Matrix(channelsLength, count, rowStride, "channels");
        Guard.Vector(samplesLength, batch * count * positions, "samples");
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
