namespace Engine.Diagnostics;

/// <summary>
/// One layer's view of a training step: how large its error and gradients were, how far its weights moved, and how many of its
/// units were saturated. Written by <see cref="GradientDiagnostics.Observe"/>; a value the layer does not have (no δ, no
/// weight, no declared saturation) is NaN. B is the batch size, δᵢ row i of the layer's <see cref="Networks.ActivatedLayer.Deltas"/>.
/// </summary>
/// <param name="Layer">The layer's index in <see cref="Networks.Network.Layers"/>, 0 for the first (the notes' layer l = Layer + 1).</param>
/// <param name="DeltaNorm">
/// The error's size, (1/B)·Σᵢ ‖δᵢˡ‖₂: the Euclidean norm of each sample's δ = ∂Lᵢ/∂zˡ, averaged over the batch.
/// </param>
/// <param name="WeightGradientNorm">‖∂C/∂Wˡ‖_F = √(Σⱼₖ (∂C/∂wˡⱼₖ)²), the Frobenius norm of the batch gradient (BP4).</param>
/// <param name="BiasGradientNorm">‖∂C/∂bˡ‖₂ = √(Σⱼ (∂C/∂bˡⱼ)²), with ∂C/∂bˡ = (1/B)·Σᵢ δᵢˡ (BP3).</param>
/// <param name="UpdateRatio">
/// ‖Δwˡ‖_F / ‖wˡ‖_F: how far the step moved the weights, relative to their size before it (Δw = w_after − w_before, whatever
/// the optimizer). 0 when neither moved; +∞ when weights of norm 0 moved. For plain SGD it is η·‖∂C/∂Wˡ‖_F / ‖wˡ‖_F.
/// </param>
/// <param name="SaturatedFraction">
/// The fraction of the layer's units saturated on the batch, by the rule its activation declares
/// (<see cref="Activations.Activation.Saturation"/>): for sigmoid and tanh the share of (sample, unit) entries with
/// |σ'(z)| &lt; 0.1·max σ', for ReLU the share of units with z ≤ 0 on every sample.
/// </param>
public readonly record struct LayerStatistics(
    int Layer,
    double DeltaNorm,
    double WeightGradientNorm,
    double BiasGradientNorm,
    double UpdateRatio,
    double SaturatedFraction);
