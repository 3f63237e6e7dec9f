using SimdDescent.Networks;

namespace SimdDescent.Tests.Networks;

// Networks declared in test code: the generator runs on this project like on any user's.

/// <summary>Every layer kind and a class-label loss.</summary>
[Network(Inputs = 12, MaxBatch = 16)]
[Dense(32, Activation.Relu)]
[LayerNorm]
[Dropout(0.2, Seed = 11)]
[Dense(16, Activation.Gelu)]
[ActivationLayer(Activation.Tanh)]
[Dense(5)]
[SoftmaxCrossEntropy]
public partial class EveryLayerNetwork;

/// <summary>Linear regression: one Dense unit and mean squared error, in double.</summary>
[Network(Inputs = 10, MaxBatch = 442, ElementType = typeof(double))]
[Dense(1, Initializer = Initializer.Zeros)]
[MeanSquaredError]
public partial class LinearRegression;

/// <summary>A small classifier with a binary cross-entropy head.</summary>
[Network(Inputs = 6, MaxBatch = 8, ElementType = typeof(double))]
[Dense(8, Activation.Silu)]
[Dense(3, Activation.LeakyRelu)]
[Dense(2)]
[BinaryCrossEntropyWithLogits]
public partial class MultiLabelNetwork;

/// <summary>A small GPT with its output head tied to the token embedding.</summary>
[LanguageModel(Vocabulary = 13, Context = 6, Width = 16, MaxBatch = 4)]
[TransformerBlocks(2, Heads = 4)]
public partial class TinyLanguageModel;

/// <summary>The same shape with an lm_head of its own, in double.</summary>
[LanguageModel(Vocabulary = 13, Context = 6, Width = 16, MaxBatch = 4, ElementType = typeof(double), TiedHead = false)]
[TransformerBlocks(2, Heads = 4, MlpRatio = 2)]
public partial class UntiedLanguageModel;

/// <summary>The benchmark model (vocabulary 256, context 128, width 128, 4 heads, 4 blocks, tied head), one sequence.</summary>
[LanguageModel(Vocabulary = 256, Context = 128, Width = 128, MaxBatch = 1)]
[TransformerBlocks(4, Heads = 4)]
public partial class BenchmarkSizedLanguageModel;

/// <summary>Every image layer in float: convolutions with and without bias and fused activations, both poolings, batch normalization, Flatten.</summary>
[Network(Channels = 3, Height = 11, Width = 10, MaxBatch = 16)]
[Conv2D(8, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(6, 3, Activation.Silu, Stride = 2, Padding = 1)]
[AvgPool2D(2, Stride = 1)]
[Flatten]
[Dense(5)]
[SoftmaxCrossEntropy]
public partial class SmallCnn;

/// <summary>The Fashion-MNIST MLP with its 10 outputs narrower than one register, in float.</summary>
[Network(Inputs = 784, MaxBatch = 64)]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class NarrowOutputMlp;

/// <summary>The same in double, where 10 outputs still fit one AVX-512 register of 8 lanes only in part.</summary>
[Network(Inputs = 784, MaxBatch = 64, ElementType = typeof(double))]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class NarrowOutputMlpDouble;
