namespace Engine.Losses;

/// <summary>How <see cref="MeanSquaredError"/> scales the sum of squares over one sample's outputs.</summary>
public enum SquaredErrorScale
{
    /// <summary>(1/n)·Σⱼ(aⱼ − yⱼ)², PyTorch's MSELoss.</summary>
    MeanOverOutputs,
    /// <summary>½·Σⱼ(aⱼ − yⱼ)², seed 003 and Nielsen (seed 001).</summary>
    HalfSum,
    /// <summary>Σⱼ(aⱼ − yⱼ)², seed 004's C₀ and seed 002's (y − ŷ)².</summary>
    Sum,
}
