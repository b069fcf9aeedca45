using System.Numerics;
using Engine.Kernels;
using Engine.Networks;
using Engine.Serialization;

namespace Engine.Optimizers;

/// <summary>
/// An <see cref="Optimizer"/> bound to the parameters of one network: every buffer is allocated here, once, so
/// <see cref="Step"/> allocates nothing. <see cref="Save"/> and <see cref="Restore"/> copy the state exactly, as named
/// float64 tensors (<c>layers.0.weight.exp_avg</c>, <c>layers.0.weight.step</c>, …), so a resumed run continues bit-identically.
/// </summary>
public sealed class OptimizerState
{
    private readonly Parameter[] parameters;
    private readonly string[] names;
    private readonly double[][][] buffers;
    private readonly long[] steps;
    private readonly double[] decayedGradient;
    private readonly Network? network;

    internal OptimizerState(Optimizer optimizer, IReadOnlyList<Parameter> parameters, IReadOnlyList<string> names, Network? network)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != parameters.Count)
            throw new ArgumentException($"names must give one name per parameter ({parameters.Count}), but gives {names.Count}.", nameof(names));
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new ArgumentException($"names must be distinct, but '{duplicate.Key}' appears {duplicate.Count()} times.", nameof(names));
        if (optimizer.StateNames.Count > ElementwiseRule.MaxBuffers)
            throw new InvalidOperationException($"{optimizer.Name} keeps {optimizer.StateNames.Count} buffers per parameter; at most {ElementwiseRule.MaxBuffers} are supported.");
        Optimizer = optimizer;
        this.parameters = [.. parameters];
        this.names = [.. names];
        buffers = this.parameters.Select(p => Enumerable.Range(0, optimizer.StateNames.Count).Select(k =>
        {
            var buffer = new double[p.Count];
            Array.Fill(buffer, optimizer.InitialState(k));
            return buffer;
        }).ToArray()).ToArray();
        steps = new long[this.parameters.Length];
        this.network = network;
        bool coupled = optimizer.WeightDecay != 0 && !optimizer.DecouplesWeightDecay;
        decayedGradient = new double[coupled ? this.parameters.Select(p => p.Count).DefaultIfEmpty(0).Max() : 0];
        foreach (var parameter in this.parameters) _ = (parameter.Values, parameter.Gradient);
    }

    /// <summary>The rule this state belongs to.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Calls of <see cref="Step"/> so far.</summary>
    public long Steps { get; private set; }

    /// <summary>The names the parameters' state is saved under, in parameter order.</summary>
    public IReadOnlyList<string> ParameterNames => names;

    /// <summary>The state of parameter <paramref name="index"/> (its buffers and step count), for inspection.</summary>
    /// <param name="index">The parameter's position.</param>
    public ParameterState this[int index] => new(buffers[index], steps[index], 0, parameters[index].Count);

    /// <summary>
    /// Threads <see cref="Step"/> may use, the caller's included: the network's <see cref="Network.Threads"/> when bound to a
    /// network, else 1. A parameter of at least 32,768 values is updated in slices that start at multiples of
    /// <see cref="Vector{T}.Count"/>, so each value is computed by the same vector lane on any thread count: results are
    /// bit-identical for every value.
    /// </summary>
    public int Threads => network?.Threads ?? 1;

    /// <summary>
    /// One update of every parameter that is not frozen, from the gradients the last backward pass left in them: weight decay
    /// (coupled or decoupled, weights only unless <see cref="Optimizer.DecayBiases"/>), then the optimizer's rule. The gradients
    /// themselves are left unchanged.
    /// </summary>
    /// <param name="learningRate">γ of this step, ≥ 0 and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    public void Step(double learningRate) => StepExcept(learningRate, appliedByCaller: null);

    /// <summary><see cref="Step(double)"/>, except that <paramref name="appliedByCaller"/>'s update is only counted: the caller
    /// applies it (a fused pass, <see cref="Training.OnlineTraining"/>).</summary>
    internal void StepExcept(double learningRate, Parameter? appliedByCaller)
    {
        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learningRate must be non-negative and finite.");
        Steps++;
        for (int p = 0; p < parameters.Length; p++)
        {
            var parameter = parameters[p];
            if (parameter.Frozen) continue;
            double decay = Optimizer.DecayBiases || parameter.Name != "bias" ? Optimizer.WeightDecay : 0.0;
            steps[p]++;
            if (parameter == appliedByCaller) continue;
            RangeThreads.Run(new Slices(this, p, learningRate, decay), parameter.Count, 1.0, Threads, Vector<double>.Count);
        }
    }

    /// <summary>Whether this state updates exactly the parameters of <paramref name="network"/>.</summary>
    internal bool IsBoundTo(Network network) => this.network == network;

    /// <summary>Weight decay, then the rule, on values [start, start + length) of parameter <paramref name="p"/>.</summary>
    private void UpdateSlice(int p, double learningRate, double decay, int start, int length)
    {
        var parameter = parameters[p];
        var values = parameter.Values.AsSpan(start, length);
        ReadOnlySpan<double> gradient = parameter.Gradient.AsSpan(start, length);
        if (decay != 0 && Optimizer.DecouplesWeightDecay)
            VectorOps.Scale(values, 1.0 - learningRate * decay);
        else if (decay != 0)
        {
            // g + λθ, the gradient of C + (λ/2)‖θ‖², in a buffer: the network's gradient stays ∂C/∂θ.
            var decayed = decayedGradient.AsSpan(start, length);
            gradient.CopyTo(decayed);
            VectorOps.ScaledAdd(values, decay, decayed);
            gradient = decayed;
        }
        Optimizer.Update(values, gradient, new ParameterState(buffers[p], steps[p], start, length), learningRate);
    }

    /// <summary>A parameter's update as a range of its values, for <see cref="RangeThreads"/>.</summary>
    private readonly struct Slices(OptimizerState owner, int parameter, double learningRate, double decay) : IRangeWork
    {
        public void Run(int start, int end) => owner.UpdateSlice(parameter, learningRate, decay, start, end - start);
    }

    /// <summary>
    /// A copy of the state: per parameter, one tensor per buffer named <c>{parameter}.{state name}</c> with the parameter's shape,
    /// and its step count <c>{parameter}.step</c> (shape [1]); then the number of steps, <c>step</c> (shape [1]).
    /// </summary>
    public IReadOnlyList<Tensor> Save()
    {
        var tensors = new List<Tensor>();
        for (int p = 0; p < parameters.Length; p++)
        {
            for (int k = 0; k < buffers[p].Length; k++)
                tensors.Add(new Tensor($"{names[p]}.{Optimizer.StateNames[k]}", [.. parameters[p].Shape], (double[])buffers[p][k].Clone()));
            tensors.Add(new Tensor($"{names[p]}.step", [1], [steps[p]]));
        }
        tensors.Add(new Tensor("step", [1], [Steps]));
        return tensors;
    }

    /// <summary>
    /// Replaces the state with one <see cref="Save"/> returned (from this optimizer on parameters of the same names and shapes).
    /// Everything is checked before anything is changed.
    /// </summary>
    /// <param name="tensors">Exactly the tensors <see cref="Save"/> writes.</param>
    /// <exception cref="ArgumentException">A tensor is missing, unexpected, of the wrong shape, not finite, or a step count is not a whole number ≥ 0; the message names it.</exception>
    public void Restore(IReadOnlyList<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var byName = new Dictionary<string, Tensor>();
        foreach (var tensor in tensors)
            if (!byName.TryAdd(tensor.Name, tensor))
                throw new ArgumentException($"The optimizer state holds tensor '{tensor.Name}' twice.", nameof(tensors));
        var expected = Save();
        foreach (var template in expected)
        {
            if (!byName.TryGetValue(template.Name, out var tensor))
                throw new ArgumentException($"The {Optimizer.Name} state lacks tensor '{template.Name}'.", nameof(tensors));
            if (!tensor.Shape.SequenceEqual(template.Shape) || tensor.Values.Length != template.Values.Length)
                throw new ArgumentException(
                    $"Tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}], but the {Optimizer.Name} state needs [{string.Join(", ", template.Shape)}].", nameof(tensors));
            int bad = VectorOps.IndexOfNonFinite(tensor.Values);
            if (bad >= 0) throw new ArgumentException($"Tensor '{tensor.Name}' holds {tensor.Values[bad]} at index {bad}; optimizer state must be finite.", nameof(tensors));
            if ((tensor.Name == "step" || tensor.Name.EndsWith(".step", StringComparison.Ordinal))
                && !(tensor.Values[0] >= 0 && tensor.Values[0] <= 1L << 53 && Math.Floor(tensor.Values[0]) == tensor.Values[0]))
                throw new ArgumentException($"Tensor '{tensor.Name}' must hold a whole number of steps, but holds {tensor.Values[0]}.", nameof(tensors));
        }
        if (byName.Keys.Except(expected.Select(t => t.Name)).FirstOrDefault() is { } unexpected)
            throw new ArgumentException($"Tensor '{unexpected}' is not part of the {Optimizer.Name} state ({string.Join(", ", Optimizer.StateNames.Append("step"))} per parameter).", nameof(tensors));
        for (int p = 0; p < parameters.Length; p++)
        {
            for (int k = 0; k < buffers[p].Length; k++) byName[$"{names[p]}.{Optimizer.StateNames[k]}"].Values.CopyTo(buffers[p][k], 0);
            steps[p] = (long)byName[$"{names[p]}.step"].Values[0];
        }
        Steps = (long)byName["step"].Values[0];
    }
}
