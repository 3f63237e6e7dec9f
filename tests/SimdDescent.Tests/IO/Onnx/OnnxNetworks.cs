using SimdDescent.Networks;

namespace SimdDescent.Tests.IO.Onnx;

// Networks for the ONNX export tests: between them every activation, LayerNorm, Dropout, a Dense without
// bias, double precision, the 784 → 128 → 10 MLP and every image layer.

/// <summary>A Dense layer with each activation, then one without bias.</summary>
[Network(Inputs = 7, MaxBatch = 8)]
[Dense(9, Activation.Relu)]
[Dense(9, Activation.LeakyRelu)]
[Dense(9, Activation.Gelu)]
[Dense(9, Activation.Sigmoid)]
[Dense(9, Activation.Tanh)]
[Dense(9, Activation.Silu)]
[Dense(9)]
[Dense(4, Bias = false)]
[MeanSquaredError]
public partial class OnnxDenseStack;

/// <summary>LayerNorm with a non-default epsilon, Dropout and standalone activations between Dense layers.</summary>
[Network(Inputs = 10, MaxBatch = 8)]
[Dense(16)]
[LayerNorm(Epsilon = 1e-3)]
[ActivationLayer(Activation.Gelu)]
[Dropout(0.3, Seed = 5)]
[Dense(12, Activation.LeakyRelu)]
[ActivationLayer(Activation.Silu)]
[LayerNorm]
[Dense(3)]
[SoftmaxCrossEntropy]
public partial class OnnxNormalized;

/// <summary>Double precision: the model's tensors are DOUBLE.</summary>
[Network(Inputs = 6, MaxBatch = 8, ElementType = typeof(double))]
[Dense(8, Activation.Relu)]
[Dense(5, Activation.Tanh)]
[Dense(2)]
[MeanSquaredError]
public partial class OnnxDouble;

/// <summary>The MLP of the benchmarks.</summary>
[Network(Inputs = 784, MaxBatch = 64)]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class OnnxMlp;

/// <summary>
/// Every image layer: convolutions with and without bias, padding and stride, with fused and standalone
/// activations, batch normalization, both poolings and Flatten, on a non-square image.
/// </summary>
[Network(Channels = 3, Height = 12, Width = 10, MaxBatch = 8)]
[Conv2D(8, 3, Padding = 1, Bias = false)]
[BatchNorm2D(Epsilon = 1e-3)]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(6, 3, Activation.Gelu, Stride = 2, Padding = 1)]
[Dropout(0.2, Seed = 3)]
[AvgPool2D(2, Stride = 1)]
[Flatten]
[Dense(5)]
[SoftmaxCrossEntropy]
public partial class OnnxCnn;

/// <summary>A convolution without padding, batch normalization and global average pooling into a Dense head.</summary>
[Network(Channels = 2, Height = 7, Width = 9, MaxBatch = 8)]
[Conv2D(4, 3, Activation.Silu)]
[BatchNorm2D]
[MaxPool2D(3, Stride = 2)]
[GlobalAvgPool]
[Dense(3, Activation.Tanh)]
[MeanSquaredError]
public partial class OnnxGlobalPoolCnn;
