using Engine.Losses;

namespace Engine.Verification;

/// <summary>
/// Valid random targets for any loss, without knowing which: the first family of rows the loss accepts is used — standard normal
/// values (regression), probabilities, ±1 values, random classes as <see cref="Loss.EncodeClass"/> writes them (one-hot rows,
/// labels) — so a newly added loss gets targets with no edit here. Used by <c>nn gradcheck</c> and the verification suite.
/// </summary>
public static class RandomTargets
{
    /// <summary>
    /// A source of single target rows valid for <paramref name="loss"/> on <paramref name="outputWidth"/> outputs: the first family
    /// whose <paramref name="probes"/> draws all pass <see cref="Loss.ValidateTarget"/>, or null when none does. (A family the loss
    /// accepts only in part, such as ±1 values for class labels, fails a probe with probability 1 − 2⁻³² at the default.)
    /// </summary>
    /// <param name="loss">The loss.</param>
    /// <param name="outputWidth">The network's outputs.</param>
    /// <param name="random">The seeded source the rows are drawn from.</param>
    /// <param name="probes">Rows drawn to test a family.</param>
    public static Func<double[]>? Family(Loss loss, int outputWidth, Random random, int probes = 32)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(random);
        int width = loss.TargetWidth(outputWidth);
        Func<double[]>[] families =
        [
            () => Fill(width, _ => Numerics.StandardNormal(random)),
            () => Fill(width, _ => random.NextDouble()),
            () => Fill(width, _ => random.Next(2) == 0 ? -1.0 : 1.0),
            () => RandomClass(loss, outputWidth, random),
        ];
        return families.FirstOrDefault(family => Enumerable.Range(0, probes).All(row => Valid(loss, family(), outputWidth, row)));
    }

    /// <summary><paramref name="batch"/> target rows valid for the loss, drawn from its <see cref="Family"/>.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="outputWidth">The network's outputs.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="random">The seeded source.</param>
    /// <exception cref="InvalidOperationException">No family of targets satisfies the loss.</exception>
    public static double[] Draw(Loss loss, int outputWidth, int batch, Random random)
    {
        var family = Family(loss, outputWidth, random)
                     ?? throw new InvalidOperationException($"No family of random targets satisfies the {loss.Name} loss on {outputWidth} outputs.");
        return Enumerable.Range(0, batch).SelectMany(_ => family()).ToArray();
    }

    /// <summary>A random class of as many as the outputs can tell apart (two for one output), encoded for the loss.</summary>
    private static double[] RandomClass(Loss loss, int outputWidth, Random random)
    {
        int classes = Math.Max(2, outputWidth);
        var row = new double[loss.TargetWidth(outputWidth)];
        loss.EncodeClass(random.Next(classes), classes, outputWidth, row);
        return row;
    }

    private static double[] Fill(int width, Func<int, double> value) => Enumerable.Range(0, width).Select(value).ToArray();

    private static bool Valid(Loss loss, double[] row, int outputWidth, int index)
    {
        try { loss.ValidateTarget(row, outputWidth, index); return true; }
        catch (ArgumentException) { return false; }
    }
}
