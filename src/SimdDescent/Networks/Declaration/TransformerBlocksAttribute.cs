namespace SimdDescent.Networks;

/// <summary>
/// <paramref name="count"/> identical pre-LayerNorm transformer blocks of a <see cref="LanguageModelAttribute"/>
/// model, each x += attn(ln_1(x)), then x += mlp(ln_2(x)): causal multi-head self-attention with a fused
/// QKV projection, and an MLP of <see cref="MlpRatio"/>·width hidden units with GELU (tanh approximation).
/// Every linear layer and LayerNorm has a bias.
/// </summary>
/// <param name="count">Number of blocks; must be positive.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TransformerBlocksAttribute(int count) : Attribute
{
    /// <summary>Number of blocks.</summary>
    public int Count { get; } = count;

    /// <summary>Attention heads per block; must be positive and divide the width.</summary>
    public int Heads { get; set; }

    /// <summary>Hidden units of the MLP per channel of the width (default 4, as GPT-2); must be positive.</summary>
    public int MlpRatio { get; set; } = 4;

    /// <summary>Added to the variance in every LayerNorm; must be positive (default 1e-5, as PyTorch).</summary>
    public double Epsilon { get; set; } = 1e-5;
}
