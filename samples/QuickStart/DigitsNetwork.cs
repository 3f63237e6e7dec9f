using SimdDescent.Networks;

namespace QuickStart;

/// <summary>64 pixels → 32 ReLU → 10 digits; the generator in the package writes the rest of this class.</summary>
[Network(Inputs = 64, MaxBatch = 32)]
[Dense(32, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class DigitsNetwork;
