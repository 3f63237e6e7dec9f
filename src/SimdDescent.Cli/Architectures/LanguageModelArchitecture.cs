using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>
/// A built-in byte-level language model the command line can train and sample: its name on the command line, shape,
/// heads (which the weights file records for PyTorch), factory, and the factory of the same model with the LoRA adapters a
/// <see cref="LoraOptions"/> chooses.
/// </summary>
internal sealed record LanguageModelArchitecture(
    string Name, string Description, int Heads, Func<ILanguageModel<float>> Create, Func<LoraOptions, ILanguageModel<float>> CreateWithAdapters)
{
    public const string DefaultName = "gpt";

    public static IReadOnlyList<LanguageModelArchitecture> All { get; } =
    [
        new(DefaultName, "bytes, context 128, width 128, 4 blocks × 4 heads, MLP 512, tied head (842,496 parameters)", 4, () => new ByteGpt(), o => new ByteGptLora(o)),
        new("gpt-tiny", "bytes, context 32, width 32, 2 blocks × 2 heads, MLP 128, tied head", 2, () => new TinyByteGpt(), o => new TinyByteGptLora(o)),
    ];

    public static IEnumerable<string> Names => All.Select(a => a.Name);

    public static LanguageModelArchitecture Named(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new UserError($"Unknown language-model architecture '{name}'; expected one of: {string.Join(", ", Names)}.");
}
