using SimdDescent.Networks;

namespace SimdDescent.Tests.Networks;

/// <summary>The base of the adapter tests: a LayerNorm and fused activations of both kinds (ReLU keeps its output, GELU its input).</summary>
[Network(Inputs = 12, MaxBatch = 16, Seed = 5)]
[Dense(16, Activation.Relu)]
[LayerNorm]
[Dense(8, Activation.Gelu)]
[Dense(4)]
[SoftmaxCrossEntropy]
public partial class AdapterBaseNetwork;

/// <summary>The same network with rank-3 adapters on every Dense layer (a rank up to 6 chosen at construction).</summary>
[Network(Inputs = 12, MaxBatch = 16, Seed = 5)]
[Dense(16, Activation.Relu)]
[LayerNorm]
[Dense(8, Activation.Gelu)]
[Dense(4)]
[SoftmaxCrossEntropy]
[LoraAdapters(Rank = 3, MaxRank = 6, Alpha = 6)]
public partial class AdaptedNetwork;

/// <summary>Double, adapters on two of the three Dense layers with dropout on their inputs.</summary>
[Network(Inputs = 12, MaxBatch = 16, Seed = 5, ElementType = typeof(double))]
[Dense(16, Activation.Relu)]
[LayerNorm]
[Dense(8, Activation.Gelu)]
[Dense(4)]
[SoftmaxCrossEntropy]
[LoraAdapters(Rank = 2, Alpha = 5, Dropout = 0.25, Seed = 3, Targets = [0, 3])]
public partial class AdaptedDoubleNetwork;

/// <summary><see cref="TinyLanguageModel"/> with rank-4 adapters on all four linear maps of every block (a rank up to 8 chosen at construction).</summary>
[LanguageModel(Vocabulary = 13, Context = 6, Width = 16, MaxBatch = 4)]
[TransformerBlocks(2, Heads = 4)]
[LoraAdapters(Rank = 4, MaxRank = 8, Alpha = 8)]
public partial class AdaptedTinyLanguageModel;

/// <summary><see cref="UntiedLanguageModel"/> with rank-2 adapters on c_attn and, as "c_proj" names both, on attn.c_proj and mlp.c_proj (not c_fc).</summary>
[LanguageModel(Vocabulary = 13, Context = 6, Width = 16, MaxBatch = 4, ElementType = typeof(double), TiedHead = false)]
[TransformerBlocks(2, Heads = 4, MlpRatio = 2)]
[LoraAdapters(Rank = 2, Alpha = 3, Modules = ["c_attn", "c_proj"])]
public partial class AdaptedUntiedLanguageModel;

/// <summary><see cref="BenchmarkSizedLanguageModel"/> with the command line's adapters: rank 4, α 8, on all four maps of every block.</summary>
[LanguageModel(Vocabulary = 256, Context = 128, Width = 128, MaxBatch = 1)]
[TransformerBlocks(4, Heads = 4)]
[LoraAdapters(Rank = 4, Alpha = 8)]
public partial class AdaptedBenchmarkSizedLanguageModel;

/// <summary>The image base of the adapter tests: convolution, batch normalization, pooling, then two Dense layers.</summary>
[Network(Channels = 2, Height = 6, Width = 6, MaxBatch = 16, Seed = 7)]
[Conv2D(3, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation.Relu)]
[Dense(3)]
[SoftmaxCrossEntropy]
public partial class AdapterImageBaseNetwork;

/// <summary>The image network with a rank-2 adapter on its first Dense layer (5) and its head (6) trained whole, as PEFT's modules_to_save.</summary>
[Network(Channels = 2, Height = 6, Width = 6, MaxBatch = 16, Seed = 7)]
[Conv2D(3, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation.Relu)]
[Dense(3)]
[SoftmaxCrossEntropy]
[LoraAdapters(Rank = 2, Alpha = 4, Targets = [5], Trainable = [6])]
public partial class AdaptedImageNetwork;

/// <summary><see cref="AdaptedImageNetwork"/> in double, for the gradient check.</summary>
[Network(Channels = 2, Height = 6, Width = 6, MaxBatch = 16, Seed = 7, ElementType = typeof(double))]
[Conv2D(3, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation.Relu)]
[Dense(3)]
[SoftmaxCrossEntropy]
[LoraAdapters(Rank = 2, Alpha = 4, Targets = [5], Trainable = [6])]
public partial class AdaptedImageDoubleNetwork;

/// <summary><see cref="AdapterImageBaseNetwork"/> under a five-way head: what a pretrained base is loaded into, its head skipped.</summary>
[Network(Channels = 2, Height = 6, Width = 6, MaxBatch = 16, Seed = 11)]
[Conv2D(3, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation.Relu)]
[Dense(5)]
[SoftmaxCrossEntropy]
public partial class FiveWayImageNetwork;
