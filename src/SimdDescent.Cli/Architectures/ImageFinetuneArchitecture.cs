using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>
/// What <c>finetune</c> builds on an image base: the base architecture's name, the same network under a new head of
/// <paramref name="Classes"/> outputs (for full and head-only fine-tuning), and that network with the LoRA adapters a
/// <see cref="LoraOptions"/> chooses.
/// </summary>
internal sealed record ImageFinetuneArchitecture(string Base, int Classes, Architecture Plain, Func<LoraOptions, INetwork<float>> CreateWithAdapters)
{
    public static IReadOnlyList<ImageFinetuneArchitecture> All { get; } =
    [
        new("cnn", 2, Architecture.Named("cnn2"), o => new CnnHead2Lora(o)),
    ];

    /// <summary>The fine-tuning networks of a base architecture, for a selection of <paramref name="classes"/> classes.</summary>
    public static ImageFinetuneArchitecture For(string baseName, int classes)
    {
        var candidates = All.Where(a => a.Base == baseName).ToList();
        if (candidates.Count == 0)
        {
            throw new UserError($"finetune takes image bases of architecture {string.Join(", ", All.Select(a => a.Base).Distinct())}; the base file's is '{baseName}'.");
        }

        return candidates.FirstOrDefault(a => a.Classes == classes)
            ?? throw new UserError($"A {baseName} base fine-tunes under a new head of {string.Join(" or ", candidates.Select(a => a.Classes))} classes; --classes selects {classes}.");
    }
}
