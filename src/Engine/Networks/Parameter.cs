namespace Engine.Networks;

/// <summary>One trainable tensor of a layer with its gradient ∂C/∂θ, both row-major with the same <see cref="Shape"/>.</summary>
/// <param name="Name">What it is within its layer: <c>weight</c> or <c>bias</c>.</param>
/// <param name="Values">The values θ, updated in place by training.</param>
/// <param name="Gradient">∂C/∂θ of the batch cost after the last backward pass.</param>
/// <param name="Shape">The dimensions, e.g. <c>[out, in]</c> for a dense weight.</param>
public sealed record Parameter(string Name, double[] Values, double[] Gradient, int[] Shape);
