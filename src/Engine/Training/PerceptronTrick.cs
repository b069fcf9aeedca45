using Engine.Activations;
using Engine.Data;
using Engine.Kernels;
using Engine.Networks;

namespace Engine.Training;

/// <summary>What <see cref="PerceptronTrick.Train"/> did.</summary>
/// <param name="Epochs">Epochs run.</param>
/// <param name="Updates">Weight updates made (mistakes corrected) in all.</param>
/// <param name="Converged">True when the last epoch classified every sample correctly.</param>
public sealed record PerceptronResult(int Epochs, int Updates, bool Converged);

/// <summary>
/// The perceptron trick (seed 002): visit the samples in a random order; when ŷ = step(w·x + b) differs from the label y ∈ {0, 1},
/// w ← w + η(y − ŷ)x and b ← b + η(y − ŷ) (the bias is the weight of a constant input 1). Stops after an epoch without a mistake,
/// or at the epoch limit.
/// </summary>
public static class PerceptronTrick
{
    /// <summary>Trains a one-neuron <see cref="Dense"/> layer with the <see cref="Step"/> activation in place.</summary>
    /// <param name="neuron">A layer with one output and the step activation.</param>
    /// <param name="data">Features and labels 0 or 1 (one per sample).</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="maxEpochs">The epoch limit.</param>
    /// <param name="seed">Seed of the visiting order.</param>
    public static PerceptronResult Train(Dense neuron, Dataset data, double learningRate, int maxEpochs, int seed)
    {
        if (neuron.OutputSize != 1 || neuron.Activation is not Step)
            throw new ArgumentException($"neuron must have one output and the step activation, but has {neuron.OutputSize} outputs and {neuron.Activation.Name}.", nameof(neuron));
        if (data.FeatureCount != neuron.InputSize || data.TargetWidth != 1)
            throw new ArgumentException($"data must have {neuron.InputSize} features and one label per sample, but has {data.FeatureCount} and {data.TargetWidth}.", nameof(data));
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learningRate must be positive and finite.");
        if (maxEpochs < 0) throw new ArgumentOutOfRangeException(nameof(maxEpochs), maxEpochs, "maxEpochs must not be negative.");
        for (int i = 0; i < data.Count; i++)
            if (data.Targets[i] is not (0.0 or 1.0))
                throw new ArgumentException($"targets[{i}] must be 0 or 1 for the perceptron, but is {data.Targets[i]}.", nameof(data));

        var random = new Random(seed);
        var order = Enumerable.Range(0, data.Count).ToArray();
        int updates = 0;
        for (int epoch = 1; epoch <= maxEpochs; epoch++)
        {
            random.Shuffle(order);
            int mistakes = 0;
            foreach (int i in order)
            {
                var x = data.FeatureRow(i);
                double error = data.Targets[i] - neuron.Forward(x, 1)[0]; // y − ŷ: +1, −1 or 0 (the four cases)
                if (error == 0) continue;
                mistakes++;
                VectorOps.ScaledAdd(x, learningRate * error, neuron.Weights);
                neuron.Biases[0] += learningRate * error;
            }
            updates += mistakes;
            if (mistakes == 0) return new PerceptronResult(epoch, updates, true);
        }
        return new PerceptronResult(maxEpochs, updates, false);
    }
}
