using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>A built-in network the command line can train: its name on the command line, shape, and factories in float and double.</summary>
internal sealed record Architecture(string Name, string Description, int Inputs, Func<INetwork<float>> Create, Func<INetwork<double>> CreateDouble)
{
    public static IReadOnlyList<Architecture> All { get; } =
    [
        new("digits", "64 → 64 ReLU → 10, for the 8×8 digits", 64, () => new DigitsMlp(), () => new DigitsMlpDouble()),
        new("seed", "784 → 10 ReLU → 10, the classic seed model", 784, () => new SeedModel(), () => new SeedModelDouble()),
        new("mlp128", "784 → 128 ReLU → 10", 784, () => new Mlp128(), () => new Mlp128Double()),
        new("deep", "784 → 256 ReLU → 128 ReLU → 10", 784, () => new DeepMlp(), () => new DeepMlpDouble()),
        new("cnn", "1×28×28 → Conv 32 3×3 + BN + ReLU + MaxPool 2 → Conv 64 3×3 + BN + ReLU + MaxPool 2 → 128 ReLU → 10", 784, () => new Cnn(), () => new CnnDouble()),
        new("cnn2", "the cnn under a two-class head (… → 128 ReLU → 2), what finetune trains from a cnn base on two classes", 784, () => new CnnHead2(), () => new CnnHead2Double()),
    ];

    public static IEnumerable<string> Names => All.Select(a => a.Name);

    public static Architecture Named(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new UserError($"Unknown architecture '{name}'; expected one of: {string.Join(", ", Names)}.");

    /// <summary>The default for a data set: the digits network for 64 features, the 128-unit MLP for 784.</summary>
    public static Architecture For(int inputs) =>
        All.FirstOrDefault(a => a.Inputs == inputs && a.Name is "digits" or "mlp128")
        ?? throw new UserError($"No built-in architecture takes {inputs} inputs; the data set must have 64 or 784 features.");
}
