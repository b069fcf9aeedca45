using Engine.Activations;
using Engine.Kernels;
using Engine.Networks;

namespace Engine.Diagnostics;

/// <summary>
/// Per-layer statistics of training steps (<see cref="LayerStatistics"/>): the error ‖δˡ‖, the gradient norms ‖∂C/∂Wˡ‖ and
/// ‖∂C/∂bˡ‖, the update-to-weight ratio ‖Δwˡ‖/‖wˡ‖ and the saturated fraction. They make two claims of the notes visible: in a
/// deep sigmoid network the gradients shrink toward the input (seed 000: "till we reach the 1st layer the changes in wts will be
/// negligible"), and a saturated unit learns slowly because BP1/BP2 multiply its error by σ'(z) ≈ 0 (seed 001).
/// </summary>
/// <remarks>
/// Diagnostics cost nothing unless requested: create one for a network and call <see cref="Observe"/> after every step (pass it
/// as <see cref="Training.Trainer.Train"/>'s <c>afterStep</c>). Its buffers are allocated here and when a larger batch is first seen,
/// so observing a step allocates nothing. The weights are copied after each observation (and here), so Δw is the change since the
/// previous one: the step's update whichever optimizer made it. Layers without parameters (pooling, flatten) are not reported.
/// </remarks>
public sealed class GradientDiagnostics
{
    private const int Fields = 5;
    private readonly Probe[] probes;
    private readonly LayerStatistics[] latest, mean;
    private readonly double[] sums;
    private double[] ones = [], slopes = [];

    /// <summary>Diagnostics of <paramref name="network"/>; its current weights are the reference for the first <see cref="Observe"/>'s Δw.</summary>
    /// <param name="network">The network to observe.</param>
    public GradientDiagnostics(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        probes = network.Layers.Select((layer, index) => (layer, index))
            .Where(entry => entry.layer.Parameters.Count > 0)
            .Select(entry => new Probe(entry.layer, entry.index)).ToArray();
        latest = probes.Select(p => Unmeasured(p.Index)).ToArray();
        mean = new LayerStatistics[probes.Length];
        sums = new double[probes.Length * Fields];
    }

    /// <summary>The statistics of the last observed step, one per layer with parameters, input side first.</summary>
    public IReadOnlyList<LayerStatistics> Latest => latest;

    /// <summary>Steps observed since construction or the last <see cref="Reset"/>.</summary>
    public int Steps { get; private set; }

    /// <summary>
    /// Each statistic averaged over the <see cref="Steps"/> observed since the last <see cref="Reset"/> (NaN before any), one per
    /// layer with parameters, input side first: e.g. an epoch's mean. The list is overwritten by the next read.
    /// </summary>
    public IReadOnlyList<LayerStatistics> Mean
    {
        get
        {
            for (int k = 0; k < probes.Length; k++)
            {
                var s = sums.AsSpan(k * Fields, Fields);
                double n = Steps;
                mean[k] = new LayerStatistics(probes[k].Index, s[0] / n, s[1] / n, s[2] / n, s[3] / n, s[4] / n);
            }
            return mean;
        }
    }

    /// <summary>
    /// Measures the step just taken from what the network holds: δ and z of the last backward pass, the gradients, and the weights
    /// against their copy from the previous call. Call it after each step (backward pass, then update), before another forward pass.
    /// </summary>
    public void Observe()
    {
        for (int k = 0; k < probes.Length; k++)
        {
            var statistics = Measure(probes[k]);
            latest[k] = statistics;
            var s = sums.AsSpan(k * Fields, Fields);
            s[0] += statistics.DeltaNorm;
            s[1] += statistics.WeightGradientNorm;
            s[2] += statistics.BiasGradientNorm;
            s[3] += statistics.UpdateRatio;
            s[4] += statistics.SaturatedFraction;
        }
        Steps++;
    }

    /// <summary>Starts a new average for <see cref="Mean"/> (e.g. at each epoch); <see cref="Latest"/> and the weight copy are kept.</summary>
    public void Reset()
    {
        Array.Clear(sums);
        Steps = 0;
    }

    private LayerStatistics Measure(Probe probe)
    {
        var activated = probe.Layer as ActivatedLayer;
        bool measured = probe.Layer.BatchSize > 0;
        return new LayerStatistics(
            probe.Index,
            activated is not null && measured ? MeanRowNorm(activated.Deltas, activated.OutputSize) : double.NaN,
            probe.Weight is { } w ? Math.Sqrt(VectorOps.SumOfSquares(w.Gradient)) : double.NaN,
            probe.Bias is { } b ? Math.Sqrt(VectorOps.SumOfSquares(b.Gradient)) : double.NaN,
            probe.UpdateRatio(),
            activated?.Activation.Saturation is { } rule && measured ? SaturatedFraction(activated, rule) : double.NaN);
    }

    /// <summary>(1/B)·Σᵢ ‖rowᵢ‖₂.</summary>
    private static double MeanRowNorm(ReadOnlySpan<double> matrix, int width)
    {
        int rows = matrix.Length / width;
        double sum = 0;
        for (int i = 0; i < rows; i++) sum += Math.Sqrt(VectorOps.SumOfSquares(matrix.Slice(i * width, width)));
        return sum / rows;
    }

    /// <summary>σ'(z) of every entry as the activation's backward pass with a cotangent of ones, then the activation's rule.</summary>
    private double SaturatedFraction(ActivatedLayer layer, Saturation rule)
    {
        int length = layer.PreActivations.Length;
        if (ones.Length < length)
        {
            ones = new double[length];
            Array.Fill(ones, 1.0);
            slopes = new double[length];
        }
        var slope = slopes.AsSpan(0, length);
        layer.Activation.Backward(layer.PreActivations, layer.Outputs, ones.AsSpan(0, length), slope, layer.OutputSize);
        return rule.Fraction(slope, layer.OutputSize);
    }

    private static LayerStatistics Unmeasured(int index) => new(index, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>A layer with parameters, its weight and bias (by name), and the copy of the weights Δw is measured from.</summary>
    private sealed class Probe
    {
        private readonly double[] before = [];

        public Probe(Layer layer, int index)
        {
            Layer = layer;
            Index = index;
            Weight = layer.Parameters.FirstOrDefault(p => p.Name == "weight");
            Bias = layer.Parameters.FirstOrDefault(p => p.Name == "bias");
            if (Weight is not null) before = (double[])Weight.Values.Clone();
        }

        public Layer Layer { get; }
        public int Index { get; }
        public Parameter? Weight { get; }
        public Parameter? Bias { get; }

        /// <summary>‖w − w_before‖_F / ‖w_before‖_F, then w_before ← w.</summary>
        public double UpdateRatio()
        {
            if (Weight is null) return double.NaN;
            double moved = Math.Sqrt(VectorOps.SquaredDistance(Weight.Values, before));
            double size = Math.Sqrt(VectorOps.SumOfSquares(before));
            Weight.Values.CopyTo(before, 0);
            return size > 0 ? moved / size : moved > 0 ? double.PositiveInfinity : 0.0;
        }
    }
}
