using Engine.Activations;
using Engine.Verification;
using Xunit;
using Xunit.Abstractions;

namespace Kit.CSharp;

public class KitTests(ITestOutputHelper output)
{
    [Fact]
    public void IsruIsVerified()
    {
        var report = ActivationCheck.Verify(new Isru(), z => z / Dual.Sqrt(1 + z * z));
        Assert.Equal(report.Tests, report.Built);
    }

    [Fact]
    public void IsruWithAnotherAlphaIsVerified() =>
        ActivationCheck.Verify(new Isru(0.25), z => z / Dual.Sqrt(1 + 0.25 * z * z));

    [Fact]
    public void LogCoshIsVerified() =>
        LossCheck.Verify(new LogCosh(), (a, y) =>
        {
            var sum = Dual.Constant(0);
            for (int j = 0; j < a.Length; j++)
            {
                var r = a[j] - y[j];
                sum += Dual.Log((Dual.Exp(r) + Dual.Exp(-r)) / 2);
            }
            return sum / a.Length;
        });

    [Fact]
    public void ElementwiseAffineIsVerified() =>
        LayerCheck.Verify(() => new ElementwiseAffine(5));

    [Fact]
    public void AWrongDerivativeFailsWithTheSmallestCaseAndTheSeed()
    {
        var error = Assert.Throws<VerificationException>(() => ActivationCheck.Verify(new IsruWithABug()));
        Assert.Contains("smallest failing case: width 1, rows 1", error.Message);
        Assert.Contains("VERIFY_SEED=", error.Message);
        output.WriteLine(error.Message);
    }
}

/// <summary>ISRU whose derivative forgot the power 3/2: a' = 1 / (1 + z²).</summary>
public sealed class IsruWithABug() : ElementwiseActivation<IsruWithABug.Function>(new Function())
{
    /// <inheritdoc/>
    public override string Name => "isru-with-a-bug";

    /// <summary>The scalar rule, with the bug.</summary>
    public readonly struct Function : IScalarFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => z / Math.Sqrt(1 + z * z);

        /// <inheritdoc/>
        public double Derivative(double z, double a) => 1 / (1 + z * z);
    }
}
