using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary><see cref="TinyByteGpt"/> with rank-8 adapters (α = 16) on every linear map of its blocks.</summary>
[LanguageModel(Vocabulary = 256, Context = 32, Width = 32, MaxBatch = 32)]
[TransformerBlocks(2, Heads = 2)]
[LoraAdapters(Rank = 8, Alpha = 16)]
public partial class TinyByteGptLora;
