namespace Engine.Data;

/// <summary>Train/test splits.</summary>
public static class Split
{
    /// <summary>
    /// A random split for targets without classes (regression): the samples are shuffled with <paramref name="seed"/> and the first
    /// round(<paramref name="testFraction"/>·count) go to the test part, the rest (in shuffled order) to training.
    /// </summary>
    /// <param name="data">The data.</param>
    /// <param name="testFraction">In (0, 1), e.g. 0.2 for 80/20.</param>
    /// <param name="seed">The shuffle's seed: the same seed gives the same split.</param>
    public static (Dataset Train, Dataset Test) Random(Dataset data, double testFraction, int seed)
    {
        RequireFraction(testFraction);
        var order = Enumerable.Range(0, data.Count).ToArray();
        new System.Random(seed).Shuffle(order);
        int test = (int)Math.Round(testFraction * data.Count);
        return (data.Select(order[test..]), data.Select(order[..test]));
    }

    /// <summary>
    /// A stratified split: each class (the value of the first target column) is shuffled with <paramref name="seed"/> and
    /// round(<paramref name="testFraction"/>·class size) of it goes to the test part, so both parts keep the class proportions.
    /// </summary>
    /// <param name="data">Labelled data.</param>
    /// <param name="testFraction">In (0, 1), e.g. 0.2 for 80/20.</param>
    /// <param name="seed">The shuffle's seed: the same seed gives the same split.</param>
    public static (Dataset Train, Dataset Test) Stratified(Dataset data, double testFraction, int seed)
    {
        RequireFraction(testFraction);
        var random = new System.Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, data.Count).GroupBy(i => data.Targets[i * data.TargetWidth]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            int testCount = (int)Math.Round(testFraction * members.Length);
            test.AddRange(members.Take(testCount));
            train.AddRange(members.Skip(testCount));
        }
        train.Sort();
        test.Sort();
        return (data.Select(train), data.Select(test));
    }

    private static void RequireFraction(double testFraction)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must lie in (0, 1).");
    }
}
