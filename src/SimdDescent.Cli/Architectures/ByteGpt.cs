using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>
/// The byte-level GPT of the benchmarks (benchmarks/peers/pytorch_gpt.py's default): 256 byte tokens, context
/// 128, width 128, 4 blocks of 4 heads with a 512-unit MLP, output head tied to the token embedding.
/// </summary>
[LanguageModel(Vocabulary = 256, Context = 128, Width = 128, MaxBatch = 32)]
[TransformerBlocks(4, Heads = 4)]
public partial class ByteGpt;
