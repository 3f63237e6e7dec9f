using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace SimdDescent.Generators.Tests.Infrastructure;

/// <summary>A random small [LanguageModel] declaration (double) with the batch and time to run it at.</summary>
internal sealed record LanguageModelSpec(int Vocabulary, int Context, int Heads, int HeadSize, int Blocks, int MlpRatio, bool Tied, int MaxBatch, int Batch, int Time, int Seed)
{
    public int Width => Heads * HeadSize;

    public string Render(string className) => string.Create(CultureInfo.InvariantCulture, $$"""
        using SimdDescent.Networks;
        namespace RandomGpt;
        [LanguageModel(Vocabulary = {{Vocabulary}}, Context = {{Context}}, Width = {{Width}}, MaxBatch = {{MaxBatch}}, ElementType = typeof(double), TiedHead = {{(Tied ? "true" : "false")}}, Seed = {{Seed}})]
        [TransformerBlocks({{Blocks}}, Heads = {{Heads}}, MlpRatio = {{MlpRatio}})]
        public partial class {{className}};
        """);

    public override string ToString() => Render("Net").Replace('\n', ' ') + " batch " + Batch + " time " + Time;

    /// <summary>Vocabulary 2–13, context 1–6, 1–3 heads of 1–4 channels, 1–2 blocks, MLP ratio 1–4, batch 1–3, either head.</summary>
    public static Gen<LanguageModelSpec> Generator() =>
        from vocabulary in Gen.Choose(2, 13)
        from context in Gen.Choose(1, 6)
        from heads in Gen.Choose(1, 3)
        from headSize in Gen.Choose(1, 4)
        from blocks in Gen.Choose(1, 2)
        from ratio in Gen.Choose(1, 4)
        from tied in Gen.Elements(true, false)
        from maxBatch in Gen.Choose(1, 3)
        from batch in Gen.Choose(1, maxBatch)
        from time in Gen.Choose(1, context)
        from seed in Gen.Choose(0, 1000)
        select new LanguageModelSpec(vocabulary, context, heads, headSize, blocks, ratio, tied, maxBatch, batch, time, seed);
}
