namespace Engine.Kernels.Reference;

/// <summary>The naive twin of <see cref="ChannelLayout"/>: one value at a time, straight from the definitions.</summary>
internal static class NaiveChannelLayout
{
    /// <summary><c>samples[b, c, p] = channels[c, b·positions + p] + bias[c]</c>.</summary>
    /// <param name="channels">Channel-major values, <c>bias.Length</c> rows of <paramref name="rowStride"/>.</param>
    /// <param name="rowStride">Columns of <paramref name="channels"/>.</param>
    /// <param name="bias">One value per channel.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="positions">Values per channel of a sample.</param>
    /// <param name="samples">Receives <c>[batch, channels, positions]</c>.</param>
    public static void ToSamples(ReadOnlySpan<double> channels, int rowStride, ReadOnlySpan<double> bias, int batch, int positions, Span<double> samples)
    {
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < bias.Length; c++)
                for (int p = 0; p < positions; p++)
                    samples[(b * bias.Length + c) * positions + p] = channels[c * rowStride + b * positions + p] + bias[c];
    }

    /// <summary><c>channels[c, b·positions + p] = samples[b, c, p]</c>; other columns unchanged.</summary>
    /// <param name="samples">Sample-major values, <c>[batch, count, positions]</c>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="count">Channels.</param>
    /// <param name="positions">Values per channel of a sample.</param>
    /// <param name="channels">Receives the channel-major values.</param>
    /// <param name="rowStride">Columns of <paramref name="channels"/>.</param>
    public static void ToChannels(ReadOnlySpan<double> samples, int batch, int count, int positions, Span<double> channels, int rowStride)
    {
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < count; c++)
                for (int p = 0; p < positions; p++)
                    channels[c * rowStride + b * positions + p] = samples[(b * count + c) * positions + p];
    }
}
