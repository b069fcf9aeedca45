using Engine.Data;
using Engine.Losses;

namespace Engine.Cli.Inputs;

/// <summary>Rows of a task: the table they were read from, a dataset whose target is each row's class index or value, and the classes.</summary>
/// <param name="Table">The rows as read, with their positions.</param>
/// <param name="Rows">Features, and per row the class index (classification) or the target value (regression).</param>
/// <param name="Classes">The classes; null for regression.</param>
public sealed record LabelledRows(DataTable Table, Dataset Rows, Classes? Classes);

/// <summary>
/// What the labels mean for the chosen task, decided by the engine's rules (<see cref="Classes"/>, <see cref="DataTable.Numeric"/>),
/// and the target rows a loss trains on (<see cref="Loss.EncodeClass"/>), every problem reported with the file and line.
/// </summary>
public static class Targets
{
    /// <summary>The task names <c>--task</c> accepts.</summary>
    public static readonly string[] Tasks = ["classification", "regression"];

    /// <summary>Classification rows: labels become class indices of <paramref name="known"/>, or of the classes the table's labels define.</summary>
    /// <param name="table">Labelled rows.</param>
    /// <param name="known">The classes of the training data, for test data or data to evaluate; null to infer them from this table.</param>
    /// <param name="option">The option that named the data.</param>
    public static LabelledRows Classify(DataTable table, Classes? known, string option)
    {
        try
        {
            var classes = known ?? Classes.Infer(table);
            return new LabelledRows(table, table.Classified(classes), classes);
        }
        catch (DataFormatException e)
        {
            throw new BadInputException($"{option}: {Choices.Reason(e)}" + (known is null ? " For numeric targets, pass --task regression." : ""), e);
        }
    }

    /// <summary>Regression rows: every label must be a finite number.</summary>
    /// <param name="table">Labelled rows.</param>
    /// <param name="option">The option that named the data.</param>
    public static LabelledRows Regress(DataTable table, string option)
    {
        try { return new LabelledRows(table, table.Numeric(), null); }
        catch (DataFormatException e) { throw new BadInputException($"{option}: {Choices.Reason(e)}", e); }
    }

    /// <summary>
    /// The target rows of <paramref name="rows"/> for <paramref name="loss"/> on <paramref name="outputs"/> outputs: classes through
    /// <see cref="Loss.EncodeClass"/>, values as they are; each row checked against the loss's domain, a failure naming the row's line.
    /// </summary>
    /// <param name="rows">Classified or regression rows.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="outputs">The network's output width.</param>
    /// <param name="lossName">How the loss is named in messages, e.g. <c>--loss hinge</c>.</param>
    public static Dataset Encode(LabelledRows rows, Loss loss, int outputs, string lossName)
    {
        var data = rows.Rows;
        int width = loss.TargetWidth(outputs);
        var targets = new double[data.Count * width];
        for (int i = 0; i < data.Count; i++)
        {
            var target = targets.AsSpan(i * width, width);
            if (rows.Classes is { } classes) loss.EncodeClass((int)data.Targets[i], classes.Count, outputs, target);
            else target[0] = data.Targets[i];
            try { loss.ValidateTarget(target, outputs, i); }
            catch (ArgumentException e)
            {
                throw new BadInputException($"{lossName} cannot train on {rows.Table.Where(i)}: {Choices.Reason(e)}", e);
            }
        }
        return new Dataset(data.Features, data.FeatureCount, targets, width);
    }
}
