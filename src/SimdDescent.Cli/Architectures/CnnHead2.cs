using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>
/// <see cref="Cnn"/> under a two-class head, Dense(2): what <c>finetune --classes</c> with two classes trains from a
/// <c>cnn</c> base. Its tensors have the <c>cnn</c>'s names and shapes but for the head (<c>11.weight</c>, <c>11.bias</c>).
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
[Dense(2)]
[SoftmaxCrossEntropy]
public partial class CnnHead2;

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
[Dense(2)]
[SoftmaxCrossEntropy]
public partial class CnnHead2Double;
