using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>The classic seed model: 784 → Dense(10, ReLU) → Dense(10), softmax cross-entropy.</summary>
[Network(Inputs = 784, MaxBatch = 256)]
[Dense(10, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class SeedModel;

/// <summary>The same network in double precision, for tight numerical gradient checks (same parameter layout).</summary>
[Network(Inputs = 784, MaxBatch = 256, ElementType = typeof(double))]
[Dense(10, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class SeedModelDouble;
