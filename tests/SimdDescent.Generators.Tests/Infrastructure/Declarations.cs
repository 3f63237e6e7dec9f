namespace SimdDescent.Generators.Tests.Infrastructure;

/// <summary>Small declarations shared by the snapshot, cache and compile tests.</summary>
internal static class Declarations
{
    public const string Mlp = """
        using SimdDescent.Networks;

        namespace Demo;

        [Network(Inputs = 4, MaxBatch = 8)]
        [Dense(16, Activation.Relu)]
        [Dense(3)]
        [SoftmaxCrossEntropy]
        public partial class Mlp;
        """;

    public const string EveryLayer = """
        using SimdDescent.Networks;

        namespace Demo;

        [Network(Inputs = 3, MaxBatch = 2, ElementType = typeof(double), Seed = 5)]
        [Dense(4, Activation.Gelu, Bias = false)]
        [LayerNorm]
        [Dropout(0.5, Seed = 9)]
        [ActivationLayer(Activation.Tanh)]
        [Dense(2, Initializer = Initializer.Zeros)]
        [MeanSquaredError]
        public partial class EveryLayer;
        """;

    public const string TinyGpt = """
        using SimdDescent.Networks;

        namespace Demo;

        [LanguageModel(Vocabulary = 11, Context = 5, Width = 8, MaxBatch = 2)]
        [TransformerBlocks(1, Heads = 2)]
        public partial class TinyGpt;
        """;
}
