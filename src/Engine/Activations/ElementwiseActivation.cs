namespace Engine.Activations;

/// <summary>
/// A scalar function σ and its derivative, evaluated one element at a time. Implemented by a readonly struct whose fields are
/// the activation's hyperparameters (none for most), so that the JIT specializes the template for it and inlines both methods.
/// </summary>
public interface IScalarFunction
{
    /// <summary>σ(z).</summary>
    /// <param name="z">The pre-activation.</param>
    double Value(double z);

    /// <summary>σ'(z), given also a = σ(z) (many derivatives are cheapest in terms of a).</summary>
    /// <param name="z">The pre-activation.</param>
    /// <param name="a">σ(z).</param>
    double Derivative(double z, double a);
}

/// <summary>
/// Template for an activation applied element by element with scalar math: for functions such as tanh whose
/// vector form would cost accuracy (.NET has no vector tanh or expm1). The loop is written once here.
/// </summary>
/// <typeparam name="TFunction">The function, a struct so that the JIT specializes and inlines it.</typeparam>
/// <param name="function">σ, with its hyperparameters.</param>
public abstract class ElementwiseActivation<TFunction>(TFunction function) : Activation where TFunction : struct, IScalarFunction
{
    /// <summary>σ, with its hyperparameters.</summary>
    protected readonly TFunction Rule = function;

    /// <inheritdoc/>
    protected sealed override void ForwardCore(ReadOnlySpan<double> z, Span<double> a, int width)
    {
        for (int i = 0; i < z.Length; i++) a[i] = Rule.Value(z[i]);
    }

    /// <inheritdoc/>
    protected sealed override void BackwardCore(ReadOnlySpan<double> z, ReadOnlySpan<double> a, ReadOnlySpan<double> gradientA, Span<double> gradientZ, int width)
    {
        for (int i = 0; i < z.Length; i++) gradientZ[i] = gradientA[i] * Rule.Derivative(z[i], a[i]);
    }
}
