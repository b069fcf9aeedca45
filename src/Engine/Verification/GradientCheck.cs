using Engine.Losses;
using Engine.Networks;

namespace Engine.Verification;

/// <summary>The largest disagreement found in one group of values (a layer's parameters, or the inputs).</summary>
/// <param name="Group">"layer 1" (1-based, input side first) or "input".</param>
/// <param name="Checked">How many values were compared.</param>
/// <param name="MaxError">The largest <see cref="GradientCheck.RelativeError"/> among them.</param>
/// <param name="WorstAt">Which value had it, e.g. "weight[2, 0]".</param>
/// <param name="Analytic">Backpropagation's derivative there.</param>
/// <param name="Numerical">The finite-difference derivative there.</param>
public sealed record GradientCheckGroup(string Group, int Checked, double MaxError, string WorstAt, double Analytic, double Numerical);

/// <summary>What <see cref="GradientCheck.Run"/> found.</summary>
/// <param name="Groups">One entry per layer, then the inputs.</param>
/// <param name="Tolerance">The largest error accepted.</param>
/// <param name="SkippedAtKinks">Values whose finite differences would straddle a kink of an activation, left out.</param>
public sealed record GradientCheckReport(IReadOnlyList<GradientCheckGroup> Groups, double Tolerance, int SkippedAtKinks)
{
    /// <summary>True when every group's error is within the tolerance.</summary>
    public bool Passed => Groups.All(g => g.MaxError <= Tolerance);
}

/// <summary>
/// Compares every derivative backpropagation computes (∂C/∂W, ∂C/∂b per layer, ∂C/∂x) with finite differences of the cost,
/// so that a new activation, loss or layer can be checked on a real network from code, as <c>nn gradcheck</c> does.
/// </summary>
/// <remarks>
/// The numerical derivative is the 5-point stencil D(h) = [−C(θ+2h) + 8C(θ+h) − 8C(θ−h) + C(θ−2h)] / 12h with
/// h = 1e-3·max(1, |θ|), whose error −h⁴C⁽⁵⁾/30 one Richardson step R = (16·D(h) − D(2h))/15 cancels, leaving O(h⁶): so a
/// network whose cost has large higher derivatives (a trained one on raw inputs) is judged by its gradient, not by the
/// stencil's truncation. The error is |a − n| / max(|a|, |n|, 1e-6·max(1, |C|)): relative, with an absolute floor where the
/// derivative is too small for the stencil's rounding noise (≈ 4e-13·|C|) to be negligible. A value is left out when moving it
/// by ±4h moves any pre-activation across a kink its activation declares, or any output across a kink of the loss, where finite
/// differences are meaningless.
/// </remarks>
public static class GradientCheck
{
    /// <summary>The default tolerance, 1e-6: a hundred times the stencil's worst error on smooth networks.</summary>
    public const double DefaultTolerance = 1e-6;

    /// <summary>|a − n| / max(|a|, |n|, floor).</summary>
    /// <param name="analytic">Backpropagation's value.</param>
    /// <param name="numerical">The finite-difference value.</param>
    /// <param name="floor">The absolute floor.</param>
    public static double RelativeError(double analytic, double numerical, double floor) =>
        analytic == numerical ? 0.0 : Math.Abs(analytic - numerical) / Math.Max(floor, Math.Max(Math.Abs(analytic), Math.Abs(numerical)));

    /// <summary>Checks every derivative of <paramref name="network"/> at the given batch. Parameters and inputs are restored afterwards.</summary>
    /// <param name="network">The network, with its parameters set.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="inputs">The batch, <c>[batch, InputSize]</c> (perturbed in place during the check, then restored).</param>
    /// <param name="targets">Targets, <c>[batch, loss.TargetWidth(OutputSize)]</c>.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="tolerance">The largest error accepted.</param>
    public static GradientCheckReport Run(Network network, Loss loss, double[] inputs, double[] targets, int batch, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be positive.");
        double cost = network.ComputeGradients(inputs, targets, batch, loss, withInputGradient: true);
        double floor = 1e-6 * Math.Max(1.0, Math.Abs(cost));
        var analyticInputs = network.InputGradient.ToArray();
        var groups = new List<GradientCheckGroup>();
        int skipped = 0;
        double Cost() => network.Cost(inputs, targets, batch, loss);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var group = new GroupBuilder($"layer {l + 1}");
            foreach (var parameter in layer.Parameters)
            {
                var analytic = parameter.Gradient.ToArray();
                for (int i = 0; i < parameter.Values.Length; i++)
                {
                    if (Differentiate(network, loss, targets, parameter.Values, i, Cost) is not { } numerical) { skipped++; continue; }
                    group.Add(Label(parameter, i), analytic[i], numerical, floor);
                }
            }
            groups.Add(group.Build());
        }
        var inputGroup = new GroupBuilder("input");
        for (int i = 0; i < inputs.Length; i++)
        {
            if (Differentiate(network, loss, targets, inputs, i, Cost) is not { } numerical) { skipped++; continue; }
            inputGroup.Add($"input[{i / network.InputSize}, {i % network.InputSize}]", analyticInputs[i], numerical, floor);
        }
        groups.Add(inputGroup.Build());
        return new GradientCheckReport(groups, tolerance, skipped);
    }

    /// <summary>How a report names element <paramref name="index"/> of a parameter: <c>weight[row, column]</c> or <c>bias[i]</c>.</summary>
    internal static string Label(Parameter parameter, int index) =>
        parameter.Shape.Count == 2 ? $"{parameter.Name}[{index / parameter.Shape[1]}, {index % parameter.Shape[1]}]" : $"{parameter.Name}[{index}]";

    /// <summary>The Richardson-extrapolated 5-point stencil in <paramref name="values"/>[<paramref name="index"/>], or null when it straddles a kink.</summary>
    private static double? Differentiate(Network network, Loss loss, double[] targets, double[] values, int index, Func<double> cost)
    {
        double theta = values[index];
        double h = 1e-3 * Math.Max(1.0, Math.Abs(theta));
        h = (theta + h) - theta;
        long side = 0;
        bool straddles = false;
        double At(double x)
        {
            values[index] = x;
            double c = cost();
            long s = KinkSides(network, loss, targets);
            straddles |= side != 0 && s != side;
            side = s;
            return c;
        }
        double p4 = At(theta + 4 * h), p2 = At(theta + 2 * h), p1 = At(theta + h);
        double m1 = At(theta - h), m2 = At(theta - 2 * h), m4 = At(theta - 4 * h);
        values[index] = theta;
        static double Stencil(double p1, double m1, double p2, double m2, double h) => (-p2 + 8 * p1 - 8 * m1 + m2) / (12 * h);
        return straddles ? null : (16 * Stencil(p1, m1, p2, m2, h) - Stencil(p2, m2, p4, m4, 2 * h)) / 15;
    }

    /// <summary>A fingerprint of which side of each declared kink every pre-activation, and every output for the loss, lies on.</summary>
    private static long KinkSides(Network network, Loss loss, double[] targets)
    {
        long hash = 17;
        var outputs = network.Outputs;
        if (loss.TargetWidth(network.OutputSize) == network.OutputSize)
            for (int i = 0; i < outputs.Length; i++) hash = hash * 31 + (loss.KinkOffset(outputs[i], targets[i]) > 0 ? 1 : 2);
        foreach (var layer in network.Layers.OfType<ActivatedLayer>())
        {
            var kinks = layer.Activation.Kinks;
            foreach (double z in layer.PreActivations)
                foreach (double kink in kinks)
                    hash = hash * 31 + (z > kink ? 1 : 2);
        }
        return hash == 0 ? 1 : hash;
    }

    private sealed class GroupBuilder(string name)
    {
        private int count;
        private double maxError = 0, analyticAtWorst, numericalAtWorst;
        private string worst = "-";

        public void Add(string label, double analytic, double numerical, double floor)
        {
            count++;
            double error = RelativeError(analytic, numerical, floor);
            if (error >= maxError || double.IsNaN(error))
            {
                maxError = double.IsNaN(error) ? double.PositiveInfinity : error;
                worst = label;
                analyticAtWorst = analytic;
                numericalAtWorst = numerical;
            }
        }

        public GradientCheckGroup Build() => new(name, count, maxError, worst, analyticAtWorst, numericalAtWorst);
    }
}
