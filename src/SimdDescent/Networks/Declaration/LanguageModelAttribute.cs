namespace SimdDescent.Networks;

/// <summary>
/// Declares a generated GPT-style language model on a <see langword="partial"/> class: token and position
/// embeddings, the <see cref="TransformerBlocksAttribute"/> that follows, a final LayerNorm and an output
/// head, trained with the softmax cross-entropy of every position (mean over all tokens), which is implied.
/// Parameter names and layouts are nanoGPT's <c>GPT</c> module's.
/// </summary>
/// <example>
/// <code>
/// [LanguageModel(Vocabulary = 256, Context = 128, Width = 128, MaxBatch = 16)]
/// [TransformerBlocks(4, Heads = 4)]
/// public partial class Gpt;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LanguageModelAttribute : Attribute
{
    /// <summary>Number of distinct tokens (256 for bytes); must be positive.</summary>
    public int Vocabulary { get; set; }

    /// <summary>The longest sequence (rows of the position embedding); must be positive.</summary>
    public int Context { get; set; }

    /// <summary>Channels of the residual stream; must be positive and divisible by the heads.</summary>
    public int Width { get; set; }

    /// <summary>The most sequences a workspace is sized for; must be positive.</summary>
    public int MaxBatch { get; set; }

    /// <summary>
    /// Whether the output head reuses the token embedding (logits = x·wteᵀ, nanoGPT's weight tying; default
    /// <see langword="true"/>). Otherwise <c>lm_head.weight</c> is a tensor of its own, without bias.
    /// </summary>
    public bool TiedHead { get; set; } = true;

    /// <summary>The element type, <c>typeof(float)</c> (the default) or <c>typeof(double)</c>.</summary>
    public Type ElementType { get; set; } = typeof(float);

    /// <summary>Seed of the deterministic initialization the constructor performs.</summary>
    public ulong Seed { get; set; } = 1;
}
