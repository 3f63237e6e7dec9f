using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>A small byte-level GPT that trains in seconds: context 32, width 32, 2 blocks of 2 heads, tied head.</summary>
[LanguageModel(Vocabulary = 256, Context = 32, Width = 32, MaxBatch = 32)]
[TransformerBlocks(2, Heads = 2)]
public partial class TinyByteGpt;
