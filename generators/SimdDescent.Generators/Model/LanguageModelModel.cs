namespace SimdDescent.Generators.Model;

/// <summary>
/// A valid [LanguageModel] declaration as plain values, so the incremental pipeline caches it like
/// <see cref="NetworkModel"/>.
/// </summary>
/// <param name="Namespace">Containing namespace, empty for the global namespace.</param>
/// <param name="ClassName">The partial class's name.</param>
/// <param name="Element">float or double.</param>
/// <param name="Vocabulary">Distinct tokens.</param>
/// <param name="Context">Longest sequence.</param>
/// <param name="Width">Channels of the residual stream.</param>
/// <param name="MaxBatch">Sequences a workspace is sized for.</param>
/// <param name="Seed">Seed of the constructor's initialization.</param>
/// <param name="TiedHead">Whether the output head reuses the token embedding.</param>
/// <param name="Blocks">Transformer blocks.</param>
/// <param name="Heads">Attention heads per block.</param>
/// <param name="MlpRatio">MLP hidden units per channel.</param>
/// <param name="Epsilon">LayerNorm epsilon.</param>
/// <param name="Lora">The LoRA adapters (targets are <see cref="LanguageModelModules"/> codes), or null.</param>
internal sealed record LanguageModelModel(
    string Namespace,
    string ClassName,
    ElementKind Element,
    int Vocabulary,
    int Context,
    int Width,
    int MaxBatch,
    ulong Seed,
    bool TiedHead,
    int Blocks,
    int Heads,
    int MlpRatio,
    double Epsilon,
    LoraModel? Lora = null)
{
    public int Hidden => MlpRatio * Width;
}
