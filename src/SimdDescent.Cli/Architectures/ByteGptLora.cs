using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>
/// <see cref="ByteGpt"/> with rank-4 adapters (α = 8) on c_attn, attn.c_proj, c_fc and mlp.c_proj of every block: what
/// <c>finetune --method lora</c> trains; <c>--rank</c> (up to 16), <c>--alpha</c> and <c>--targets</c> choose others.
/// </summary>
[LanguageModel(Vocabulary = 256, Context = 128, Width = 128, MaxBatch = 32)]
[TransformerBlocks(4, Heads = 4)]
[LoraAdapters(Rank = 4, MaxRank = 16, Alpha = 8)]
public partial class ByteGptLora;
