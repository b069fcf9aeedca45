namespace Engine.Networks;

/// <summary>How <see cref="Network.Initialize"/> draws weights (biases start at 0). fan_in and fan_out are the layer's input and output widths.</summary>
public enum WeightInitialization
{
    /// <summary>U(−1/√fan_in, 1/√fan_in), PyTorch's default for a linear layer.</summary>
    Uniform,
    /// <summary>N(0, 1), as in Nielsen's notes (seed 001).</summary>
    Normal,
    /// <summary>Glorot/Xavier: U(−√(6/(fan_in + fan_out)), +√(6/(fan_in + fan_out))), for sigmoid and tanh.</summary>
    Glorot,
    /// <summary>He/Kaiming: N(0, 2/fan_in), for ReLU.</summary>
    He,
}

/// <summary>Draws weights by a <see cref="WeightInitialization"/> scheme.</summary>
public static class WeightInitializer
{
    /// <summary>Fills <paramref name="weights"/> with draws for a layer of the given fans.</summary>
    /// <param name="weights">The weights to fill.</param>
    /// <param name="scheme">The distribution.</param>
    /// <param name="random">The seeded source.</param>
    /// <param name="fanIn">Inputs feeding each output (for a convolution: channels × kernel area).</param>
    /// <param name="fanOut">Outputs fed by each input.</param>
    public static void Fill(Span<double> weights, WeightInitialization scheme, Random random, int fanIn, int fanOut)
    {
        for (int i = 0; i < weights.Length; i++)
            weights[i] = scheme switch
            {
                WeightInitialization.Uniform => Uniform(random, 1.0 / Math.Sqrt(fanIn)),
                WeightInitialization.Normal => Numerics.StandardNormal(random),
                WeightInitialization.Glorot => Uniform(random, Math.Sqrt(6.0 / (fanIn + fanOut))),
                WeightInitialization.He => Numerics.StandardNormal(random) * Math.Sqrt(2.0 / fanIn),
                _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown weight initialization."),
            };
    }

    private static double Uniform(Random random, double bound) => (2.0 * random.NextDouble() - 1.0) * bound;
}
