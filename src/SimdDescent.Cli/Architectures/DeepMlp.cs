using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>784 → Dense(256, ReLU) → Dense(128, ReLU) → Dense(10), softmax cross-entropy.</summary>
[Network(Inputs = 784, MaxBatch = 256)]
[Dense(256, Activation.Relu)]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class DeepMlp;

/// <summary>The same network in double precision, for tight numerical gradient checks (same parameter layout).</summary>
[Network(Inputs = 784, MaxBatch = 256, ElementType = typeof(double))]
[Dense(256, Activation.Relu)]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class DeepMlpDouble;
