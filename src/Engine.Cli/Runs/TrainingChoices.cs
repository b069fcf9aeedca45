using System.Globalization;
using Engine.Cli.Commands;
using Engine.Optimizers;
using Engine.Schedules;
using Engine.Training;

namespace Engine.Cli.Runs;

/// <summary>
/// The optimizer, schedule, clipping and early stopping that <c>nn train</c>'s options choose, built through the registries so
/// every optimizer and schedule is available by name; each invalid value or combination is an error naming the options.
/// </summary>
public static class TrainingChoices
{
    /// <summary>The optimizer options and the hyperparameter each sets.</summary>
    private static readonly (string Option, string Hyperparameter, Func<TrainCommand.Settings, object?> Value)[] OptimizerOptions =
    [
        ("--momentum", "momentum", s => s.Momentum),
        ("--nesterov", "nesterov", s => s.Nesterov ? true : null),
        ("--beta1", "beta1", s => s.Beta1),
        ("--beta2", "beta2", s => s.Beta2),
        ("--eps", "eps", s => s.Eps),
        ("--weight-decay", "weightDecay", s => s.WeightDecay),
    ];

    /// <summary>The training settings the options give.</summary>
    /// <param name="settings">The command line.</param>
    /// <param name="cnn">Whether the convolutional preset is trained, whose default rates <see cref="PresetRates"/> gives.</param>
    /// <param name="epochs">The checked epoch count.</param>
    /// <param name="batch">The checked batch size.</param>
    /// <param name="seed">The seed.</param>
    public static TrainingOptions Options(TrainCommand.Settings settings, bool cnn, int epochs, int batch, int seed)
    {
        var optimizer = OptimizerFrom(settings);
        var schedule = ScheduleFrom(settings.Schedule);
        double rate = Choices.Positive(settings.LearningRate ?? PresetRates.For(cnn, optimizer), "--lr");
        if (settings.ClipNorm is { } clip) Choices.Positive(clip, "--clip-norm");
        double fraction = settings.ValidationFraction ?? 0;
        if (!(fraction >= 0 && fraction < 1))
            throw new BadInputException($"--validation-fraction must lie in [0, 1), but is {fraction.ToString(CultureInfo.InvariantCulture)}.");
        if (settings.Patience is not null && fraction == 0)
            throw new BadInputException("--patience applies only with --validation-fraction: early stopping watches the loss of the part it holds out.");
        return new TrainingOptions
        {
            Optimizer = optimizer,
            Schedule = schedule,
            LearningRate = rate,
            BatchSize = batch,
            Epochs = epochs,
            Seed = seed,
            MaxGradientNorm = settings.ClipNorm,
            ValidationFraction = fraction,
            Patience = Choices.InRange(settings.Patience ?? 10, "--patience", 1),
        };
    }

    private static Optimizer OptimizerFrom(TrainCommand.Settings settings)
    {
        var registry = Registry<Optimizer>.Builtin;
        string name = settings.Optimizer ?? "sgd";
        var defaults = Choices.Registered(registry, name, "--optimizer");
        var names = Hyperparameters.Of(defaults.GetType()).Select(h => h.Name).ToHashSet();
        var values = new Dictionary<string, string>();
        foreach (var (option, hyperparameter, value) in OptimizerOptions)
        {
            if (value(settings) is not { } given) continue;
            if (!names.Contains(hyperparameter))
                throw new BadInputException($"{option} does not apply to --optimizer {name}; {name}'s settings are {string.Join(", ", names.Select(OptionOf))}.");
            values[hyperparameter] = Hyperparameter.Format(given);
        }
        try { return registry.Create(name, values); }
        catch (ArgumentException e)
        {
            throw new BadInputException($"--optimizer {name} with {string.Join(" ", values.Select(v => $"{OptionOf(v.Key)} {v.Value}"))}: {Choices.Reason(e)}", e);
        }
    }

    /// <summary>The option that sets a hyperparameter, or its kebab-case name for one without an option of its own.</summary>
    private static string OptionOf(string hyperparameter) =>
        OptimizerOptions.FirstOrDefault(o => o.Hyperparameter == hyperparameter).Option ?? Kebab(hyperparameter);

    /// <summary><c>--schedule NAME[:key=value,…]</c>, keys in kebab-case or as the schedule names them.</summary>
    /// <param name="text">The value given, or null for a constant rate.</param>
    public static Schedule ScheduleFrom(string? text)
    {
        var registry = Registry<Schedule>.Builtin;
        if (text is null) return registry.Get("constant");
        int colon = text.IndexOf(':');
        string name = colon < 0 ? text : text[..colon];
        var defaults = Choices.Registered(registry, name, "--schedule");
        var known = Hyperparameters.Of(defaults.GetType()).Select(h => h.Name).ToList();
        var values = new Dictionary<string, string>();
        if (colon >= 0)
            foreach (string pair in text[(colon + 1)..].Split(','))
            {
                var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                    throw new BadInputException($"--schedule '{text}': '{pair}' is not key=value; write e.g. step:step-size=10,gamma=0.5.");
                string key = known.FirstOrDefault(k => k == parts[0] || Kebab(k) == parts[0])
                             ?? throw new BadInputException($"--schedule {name} has no setting '{parts[0]}'{CommandLine.Suggestion(parts[0], known.Select(Kebab))}; " +
                                                            $"its settings are {(known.Count == 0 ? "none" : string.Join(", ", known.Select(Kebab)))}.");
                values[key] = parts[1];
            }
        try { return registry.Create(name, values); }
        catch (ArgumentException e) { throw new BadInputException($"--schedule '{text}': {Choices.Reason(e)}", e); }
    }

    /// <summary>stepSize → step-size.</summary>
    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : c.ToString()));
}
