using SimdDescent.Networks;

namespace SimdDescent.Benchmarks.Networks;

/// <summary>
/// The GPT, as benchmarks/peers/pytorch_gpt.py defines it by default: 256 byte tokens, context 128,
/// width 128, 4 blocks of 4 heads, MLP 512, head tied to the token embedding (842,496 parameters).
/// </summary>
[LanguageModel(Vocabulary = 256, Context = 128, Width = 128, MaxBatch = 16)]
[TransformerBlocks(4, Heads = 4)]
public partial class BenchmarkGpt
{
    /// <summary>Seeded, uniformly random byte tokens.</summary>
    public static int[] RandomTokens(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(256))];
    }
}
