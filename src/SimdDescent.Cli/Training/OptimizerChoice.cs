using SimdDescent.Training.Optimizers;

namespace SimdDescent.Cli.Training;

/// <summary>The optimizer and its options as given on the command line.</summary>
internal sealed record OptimizerChoice(string Name, double LearningRate, double Momentum, bool Nesterov, double? WeightDecay)
{
    public static readonly string[] Names = ["sgd", "adam", "adamw", "rmsprop", "adagrad"];

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
