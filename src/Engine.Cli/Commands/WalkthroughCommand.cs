using System.ComponentModel;
using System.Globalization;
using Engine.Activations;
using Engine.Losses;
using Engine.Networks;
using Engine.Optimizers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn walkthrough</c>: the notes' worked examples, step by step in their notation.</summary>
public sealed class WalkthroughCommand(Terminal terminal) : Command<WalkthroughCommand.Settings>
{
    /// <summary>Options of <c>nn walkthrough</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>Which example.</summary>
        [CommandOption("--example <NAME>")]
        [Description("batch: seed 003's two-sample batch with learning rate 0.01 (default); iq: seed 002's nine derivatives; " +
                     "vanishing: seed 000's gradients by layer of deep networks; saturation: seed 001's saturated neuron.")]
        [DefaultValue("batch")]
        public string Example { get; init; } = "batch";

        /// <summary>Where to draw the example's plot.</summary>
        [CommandOption("--plot <FILE>")]
        [Description("Also draw the example's plot into this PNG file (vanishing and saturation).")]
        public string? Plot { get; init; }
    }

    private readonly IAnsiConsole console = terminal.Results;

    /// <summary>The examples by name: each runs with the plot file (or null), and says whether it draws one.</summary>
    private IReadOnlyDictionary<string, (Action<string?> Run, bool Plots)> Examples => new Dictionary<string, (Action<string?>, bool)>
    {
        ["batch"] = (_ => Batch(), false),
        ["iq"] = (_ => Iq(), false),
        ["vanishing"] = (plot => new Walkthroughs.VanishingGradients(terminal).Run(plot), true),
        ["saturation"] = (plot => new Walkthroughs.SaturatedNeuron(terminal).Run(plot), true),
    };

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (run, plots) = Examples[Choices.OneOf(settings.Example, "--example", [.. Examples.Keys])];
        if (settings.Plot is not null && !plots)
            throw new BadInputException($"--plot applies only to --example {Choices.Alternatives([.. Examples.Where(e => e.Value.Plots).Select(e => e.Key)])}.");
        if (settings.Plot is not null) OutputFiles.RequireWritable(settings.Plot, "--plot");
        run(settings.Plot);
        return App.Ok;
    }

    /// <summary>Fixed decimals, printing a value that rounds to zero (−0, −1e-18) as 0.</summary>
    private static string F(double value, int decimals) =>
        (Math.Round(value, decimals) == 0 ? 0.0 : value).ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string Vector(ReadOnlySpan<double> values, int decimals) => "(" + string.Join(", ", values.ToArray().Select(v => F(v, decimals))) + ")";

    private void Matrix(string name, double[] values, int columns, int decimals)
    {
        console.WriteLine($"    {name} = [");
        for (int j = 0; j < values.Length / columns; j++)
            console.WriteLine($"        [{string.Join(", ", values.Skip(j * columns).Take(columns).Select(v => F(v, decimals).PadLeft(decimals + 4)))}]");
        console.WriteLine("    ]");
    }

    private static (Network Network, Dense Hidden, Dense Output) BatchNetwork()
    {
        var hidden = new Dense(3, 3, new Relu());
        hidden.SetParameters([[0.1, 0.2, -0.1], [-0.3, 0.4, -0.2], [0.5, 0.6, -0.3]], [-0.1, -0.2, 0.1]);
        var output = new Dense(3, 2, new Sigmoid());
        output.SetParameters([[0.1, -0.1, -0.2], [-0.3, 0.2, 0.3]], [-0.1, 0.2]);
        return (new Network(hidden, output), hidden, output);
    }

    /// <summary>Seed 003: a 3 → 3 → 2 network (ReLU, sigmoid), L = ½·Σⱼ(oⱼ − yⱼ)², two samples averaged, one step at η = 0.01.</summary>
    private void Batch()
    {
        double[][] samples = [[1, 2, 3], [2, 1, 3]];
        double[] target = [1, 0];
        var loss = new MeanSquaredError(SquaredErrorScale.HalfSum);
        console.MarkupLine("[bold]Seed 003: batch average and learning rate 0.01[/] (docs/walkthroughs.md §1)");
        console.WriteLine("Network 3 → 3 → 2, ReLU hidden layer (ReLU'(0) = 0), sigmoid output, L = 1/2·Σⱼ (oⱼ − yⱼ)², target y = (1, 0).");
        console.WriteLine("Weights are weights[j][k]: into neuron j from input k.");
        var sums = new List<double[]>();
        for (int s = 0; s < samples.Length; s++)
        {
            var (network, hidden, output) = BatchNetwork();
            double value = network.ComputeGradients(samples[s], target, 1, loss);
            console.WriteLine();
            console.MarkupLine($"[bold]Sample {(char)('A' + s)}[/]: x = {Vector(samples[s], 0)}");
            console.WriteLine($"  layer 1: z = {Vector(hidden.PreActivations, 10)}   a = ReLU(z) = {Vector(hidden.Outputs, 10)}");
            console.WriteLine($"  layer 2: z = {Vector(output.PreActivations, 10)}   o = sigmoid(z) = {Vector(output.Outputs, 10)}");
            var dLdo = output.Outputs.ToArray().Select((o, j) => o - target[j]).ToArray();
            console.WriteLine($"  L = {F(value, 10)}   dL/do = o − y = {Vector(dLdo, 6)}");
            console.WriteLine($"  BP1  delta2 = (o − y) ⊙ o(1 − o) = {Vector(output.Deltas, 7)}");
            console.WriteLine($"  BP2  delta1 = (W2ᵀ·delta2) ⊙ ReLU'(z1) = {Vector(hidden.Deltas, 7)}");
            console.WriteLine("  BP3/BP4 per-sample gradients:");
            Matrix("layer 2 weights[j][k] = delta2_j·a1_k", output.WeightGradient, 3, 6);
            console.WriteLine($"    layer 2 biases[j] = delta2_j = {Vector(output.BiasGradient, 6)}");
            Matrix("layer 1 weights[j][k] = delta1_j·x_k", hidden.WeightGradient, 3, 6);
            console.WriteLine($"    layer 1 biases[j] = delta1_j = {Vector(hidden.BiasGradient, 6)}");
        }
        var (batchNetwork, batchHidden, batchOutput) = BatchNetwork();
        batchNetwork.ComputeGradients(samples.SelectMany(x => x).ToArray(), [.. target, .. target], 2, loss);
        console.WriteLine();
        console.MarkupLine("[bold]The average of the two per-sample gradients[/] (the notes' table):");
        console.WriteLine($"    average[0].biases = {Vector(batchHidden.BiasGradient, 6)}");
        Matrix("average[0].weights", batchHidden.WeightGradient, 3, 6);
        console.WriteLine($"    average[1].biases = {Vector(batchOutput.BiasGradient, 6)}");
        Matrix("average[1].weights", batchOutput.WeightGradient, 3, 6);
        new Sgd().Bind(batchNetwork).Step(0.01);
        console.WriteLine();
        console.MarkupLine("[bold]Update w ← w − 0.01·average[/]:");
        console.WriteLine($"    layer 1 b = {Vector(batchHidden.Biases, 8)}");
        Matrix("layer 1 W", batchHidden.Weights, 3, 8);
        console.WriteLine($"    layer 2 b = {Vector(batchOutput.Biases, 8)}");
        Matrix("layer 2 W", batchOutput.Weights, 3, 8);
        console.WriteLine();
        console.WriteLine($"Sample B's first hidden neuron: z = {hidden0(samples[1]).ToString("R", CultureInfo.InvariantCulture)}, exactly on the ReLU kink; with ReLU'(0) = 0 it contributes nothing to row 0.");
    }

    private static double hidden0(double[] x)
    {
        var (network, hidden, _) = BatchNetwork();
        network.Forward(x, 1);
        return hidden.PreActivations[0];
    }

    /// <summary>Seed 002: IQ and CGPA → LPA, a 2 → 2 → 1 linear network with W = 1, b = 0, L = (y − ŷ)².</summary>
    private void Iq()
    {
        var hidden = new Dense(2, 2, new Identity());
        hidden.SetParameters([[1, 1], [1, 1]], [0, 0]);
        var output = new Dense(2, 1, new Identity());
        output.SetParameters([[1, 1]], [0]);
        var network = new Network(hidden, output);
        double value = network.ComputeGradients([80, 8], [3], 1, new MeanSquaredError(SquaredErrorScale.Sum));
        console.MarkupLine("[bold]Seed 002: IQ/CGPA → LPA, the nine derivatives[/] (docs/walkthroughs.md §2)");
        console.WriteLine("Network 2 → 2 → 1, linear activations, W = 1, b = 0, L = (y − ŷ)². First row: iq = 80, cgpa = 8, lpa = 3.");
        console.WriteLine($"  O11 = {F(hidden.Outputs[0], 0)}, O12 = {F(hidden.Outputs[1], 0)}, ŷ = {F(output.Outputs[0], 0)}, L = {F(value, 0)}");
        console.WriteLine($"  dL/dŷ = −2(y − ŷ) = {F(output.Deltas[0], 0)}");
        console.WriteLine("  The notes' w_ij^k (layer k, from node i to node j) is the engine's W^k[j][i].");
        console.WriteLine($"  dL/dw11² = {F(output.WeightGradient[0], 0)}   dL/dw21² = {F(output.WeightGradient[1], 0)}   dL/db21 = {F(output.BiasGradient[0], 0)}");
        console.WriteLine($"  dL/dw11¹ = {F(hidden.WeightGradient[0], 0)}   dL/dw12¹ = {F(hidden.WeightGradient[2], 0)}   dL/db11 = {F(hidden.BiasGradient[0], 0)}");
        console.WriteLine($"  dL/dw21¹ = {F(hidden.WeightGradient[1], 0)}    dL/dw22¹ = {F(hidden.WeightGradient[3], 0)}    dL/db12 = {F(hidden.BiasGradient[1], 0)}");
    }
}
