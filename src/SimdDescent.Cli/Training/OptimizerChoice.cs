using SimdDescent.Cli.Commands;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Cli.Training;

/// <summary>The optimizer and its options as given on the command line.</summary>
internal sealed record OptimizerChoice(string Name, double LearningRate, double Momentum, bool Nesterov, double? WeightDecay)
{
    public static readonly string[] Names = ["sgd", "adam", "adamw", "rmsprop", "adagrad"];

    /// <summary>The optimizers that use <see cref="Momentum"/>; the others would ignore it.</summary>
    private bool HasMomentum => Name is "sgd" or "rmsprop";

    /// <summary>
    /// Checks every value's range and refuses settings the optimizer would ignore: --nesterov other than with SGD
    /// and momentum, --momentum given to an optimizer without momentum.
    /// </summary>
    public void Validate(bool momentumGiven)
    {
        Expect.PositiveFinite(LearningRate, "--lr");
        Expect.Fraction(Momentum, "--momentum");
        if (WeightDecay is { } decay)
        {
            Expect.NonNegativeFinite(decay, "--weight-decay");
        }

        if (momentumGiven && !HasMomentum)
        {
            throw new UserError($"--momentum applies to sgd and rmsprop; {Name} has no momentum setting.");
        }

        if (Nesterov && (Name != "sgd" || Momentum == 0))
        {
            throw new UserError(Name == "sgd" ? "--nesterov expects --momentum > 0." : $"--nesterov applies to sgd only; {Name} would ignore it.");
        }
    }

    public Optimizer<float> Create(int parameterCount, double? learningRate = null)
    {
        var lr = learningRate ?? LearningRate;
        return Name switch
        {
            "sgd" => new Sgd<float>(parameterCount, new SgdOptions { LearningRate = lr, Momentum = Momentum, Nesterov = Nesterov, WeightDecay = WeightDecay ?? 0 }),
            "adam" => new Adam<float>(parameterCount, new AdamOptions { LearningRate = lr, WeightDecay = WeightDecay ?? 0 }),
            "adamw" => new AdamW<float>(parameterCount, new AdamWOptions { LearningRate = lr, WeightDecay = WeightDecay ?? new AdamWOptions().WeightDecay }),
            "rmsprop" => new RmsProp<float>(parameterCount, new RmsPropOptions { LearningRate = lr, Momentum = Momentum, WeightDecay = WeightDecay ?? 0 }),
            "adagrad" => new Adagrad<float>(parameterCount, new AdagradOptions { LearningRate = lr, WeightDecay = WeightDecay ?? 0 }),
            _ => throw new UserError($"Unknown optimizer '{Name}'; expected one of: {string.Join(", ", Names)}."),
        };
    }
}
