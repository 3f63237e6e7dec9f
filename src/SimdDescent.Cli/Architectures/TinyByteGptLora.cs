using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary><see cref="TinyByteGpt"/> with rank-4 adapters (α = 8) on every linear map of its blocks.</summary>
[LanguageModel(Vocabulary = 256, Context = 32, Width = 32, MaxBatch = 32)]
[TransformerBlocks(2, Heads = 2)]
[LoraAdapters(Rank = 4, MaxRank = 16, Alpha = 8)]
public partial class TinyByteGptLora;
