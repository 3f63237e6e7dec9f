using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>For the 8×8 digits: 64 → Dense(64, ReLU) → Dense(10), softmax cross-entropy.</summary>
[Network(Inputs = 64, MaxBatch = 256)]
[Dense(64, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class DigitsMlp;

/// <summary>The same network in double precision, for tight numerical gradient checks (same parameter layout).</summary>
[Network(Inputs = 64, MaxBatch = 256, ElementType = typeof(double))]
[Dense(64, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class DigitsMlpDouble;
