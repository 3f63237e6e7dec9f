using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>
/// The Fashion-MNIST convolutional network: two blocks of 3×3 convolution, batch normalization, ReLU and 2×2 max
/// pooling (1 → 32 → 64 channels, 28×28 → 14×14 → 7×7), then Dense(128, ReLU) and Dense(10). The convolutions have
/// no bias: the batch normalization after each subtracts it again.
/// </summary>
[Network(Channels = 1, Height = 28, Width = 28, MaxBatch = 256)]
[Conv2D(32, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(64, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class Cnn;

/// <summary>The same network in double precision, for tight numerical gradient checks (same parameter layout).</summary>
[Network(Channels = 1, Height = 28, Width = 28, MaxBatch = 256, ElementType = typeof(double))]
[Conv2D(32, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(64, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class CnnDouble;
