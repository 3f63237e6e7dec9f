namespace SimdDescent.Generators.Model;

/// <summary>The linear maps of a transformer block an adapter can target, by nanoGPT module name; a target's code is its index.</summary>
internal static class LanguageModelModules
{
    public static readonly string[] Names = ["attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"];

    public const int Attention = 0, AttentionProjection = 1, Mlp = 2, MlpProjection = 3;
}
