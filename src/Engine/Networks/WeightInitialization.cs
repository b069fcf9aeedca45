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
