using Engine.Activations;

namespace Engine.Interop.Onnx;

/// <summary>
/// How one activation becomes ONNX nodes, applied to a layer's pre-activations z. Found by <see cref="Registry{T}"/>: an activation
/// with no exporter makes <see cref="OnnxExport"/> fail with an error naming it, and a new one is one small class in a registered
/// assembly (your own activations included, through <see cref="Registry{T}.FromAssemblies"/>).
/// </summary>
public abstract class ActivationExporter : INamed
{
    /// <summary>The registry's key: the activation class's name in lower case.</summary>
    public string Name => ActivationType.Name.ToLowerInvariant();

    /// <summary>The activation class this exporter writes.</summary>
    public abstract Type ActivationType { get; }

    /// <summary>The activation's registry name (e.g. <c>leaky-relu</c>), for messages.</summary>
    public abstract string ActivationName { get; }

    /// <summary>Adds σ(z) to the graph.</summary>
    /// <param name="activation">σ, of <see cref="ActivationType"/>, with its hyperparameters.</param>
    /// <param name="z">The pre-activations.</param>
    /// <param name="graph">The graph being built.</param>
    /// <returns>The activations, of z's dimensions.</returns>
    public abstract OnnxValue Export(Activation activation, OnnxValue z, OnnxGraphBuilder graph);
}

/// <summary>An exporter for the activation class <typeparamref name="TActivation"/>.</summary>
/// <typeparam name="TActivation">The activation class.</typeparam>
public abstract class ActivationExporter<TActivation> : ActivationExporter where TActivation : Activation, new()
{
    /// <inheritdoc/>
    public sealed override Type ActivationType => typeof(TActivation);

    /// <inheritdoc/>
    public sealed override string ActivationName => new TActivation().Name;

    /// <inheritdoc/>
    public sealed override OnnxValue Export(Activation activation, OnnxValue z, OnnxGraphBuilder graph) => Export((TActivation)activation, z, graph);

    /// <summary>Adds σ(z) to the graph.</summary>
    /// <param name="activation">σ.</param>
    /// <param name="z">The pre-activations.</param>
    /// <param name="graph">The graph being built.</param>
    protected abstract OnnxValue Export(TActivation activation, OnnxValue z, OnnxGraphBuilder graph);
}
