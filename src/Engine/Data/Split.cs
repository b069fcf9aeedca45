namespace Engine.Data;

/// <summary>Train/test splits: which rows go to each part, and the parts themselves.</summary>
public static class Split
{
    /// <summary>
    /// A random split's row indices, for targets without classes (regression): the rows are shuffled with <paramref name="seed"/>
    /// and the first round(<paramref name="testFraction"/>·count) go to the test part, the rest (in shuffled order) to training.
    /// </summary>
    /// <param name="count">Rows.</param>
    /// <param name="testFraction">In (0, 1), e.g. 0.2 for 80/20.</param>
    /// <param name="seed">The shuffle's seed: the same seed gives the same split.</param>
    public static (int[] Train, int[] Test) RandomIndices(int count, double testFraction, int seed)
    {
        RequireFraction(testFraction);
        var order = Enumerable.Range(0, count).ToArray();
        new System.Random(seed).Shuffle(order);
        int test = (int)Math.Round(testFraction * count);
        return (order[test..], order[..test]);
    }

    /// <summary>
    /// A stratified split's row indices: each class is shuffled with <paramref name="seed"/> and round(<paramref name="testFraction"/>·class
    /// size) of it goes to the test part, so both parts keep the class proportions; each part lists its rows in their original order.
    /// A class of one or two rows stays whole in the training part (round(0.2·2) = 0), so training sees every class.
    /// </summary>
    /// <param name="classes">Each row's class (any values; equal values are one class).</param>
    /// <param name="testFraction">In (0, 1), e.g. 0.2 for 80/20.</param>
    /// <param name="seed">The shuffle's seed: the same seed gives the same split.</param>
    public static (int[] Train, int[] Test) StratifiedIndices(IReadOnlyList<double> classes, double testFraction, int seed)
    {
        RequireFraction(testFraction);
        var random = new System.Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, classes.Count).GroupBy(i => classes[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            int testCount = (int)Math.Round(testFraction * members.Length);
            test.AddRange(members.Take(testCount));
            train.AddRange(members.Skip(testCount));
        }
        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }

    /// <summary>A random split of <paramref name="data"/> (see <see cref="RandomIndices"/>).</summary>
    /// <param name="data">The data.</param>
    /// <param name="testFraction">In (0, 1), e.g. 0.2 for 80/20.</param>
    /// <param name="seed">The shuffle's seed: the same seed gives the same split.</param>
    public static (Dataset Train, Dataset Test) Random(Dataset data, double testFraction, int seed)
    {
        var (train, test) = RandomIndices(data.Count, testFraction, seed);
        return (data.Select(train), data.Select(test));
    }

    /// <summary>A stratified split of <paramref name="data"/> by the value of each row's first target (see <see cref="StratifiedIndices"/>).</summary>
    /// <param name="data">Labelled data.</param>
    /// <param name="testFraction">In (0, 1), e.g. 0.2 for 80/20.</param>
    /// <param name="seed">The shuffle's seed: the same seed gives the same split.</param>
    public static (Dataset Train, Dataset Test) Stratified(Dataset data, double testFraction, int seed)
    {
        var (train, test) = StratifiedIndices(Enumerable.Range(0, data.Count).Select(i => data.Targets[i * data.TargetWidth]).ToArray(), testFraction, seed);
        return (data.Select(train), data.Select(test));
    }

    /// <summary>
    /// A stratified split of a labelled table read from a file: its rows classified by the classes its labels define
    /// (<see cref="DataTable.Classified()"/>), each target the class index.
    /// </summary>
    /// <param name="table">Rows with class labels.</param>
    /// <param name="testFraction">In (0, 1), e.g. 0.2 for 80/20.</param>
    /// <param name="seed">The shuffle's seed: the same seed gives the same split.</param>
    /// <exception cref="DataFormatException">The labels do not define classes (see <see cref="Classes"/>).</exception>
    public static (Dataset Train, Dataset Test) Stratified(DataTable table, double testFraction, int seed) =>
        Stratified(table.Classified(), testFraction, seed);

    private static void RequireFraction(double testFraction)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must lie in (0, 1).");
    }
}
