using SimdDescent.Networks;

namespace SimdDescent.Cli.Architectures;

/// <summary>
/// <see cref="CnnHead2"/> with a rank-8 adapter (α = 16) on its hidden Dense layer (3136 → 128, <c>9</c>) and its new head
/// (<c>11</c>) trained whole, as PEFT's modules_to_save: what <c>finetune --method lora</c> trains on an image base. The
/// convolutions and batch normalizations stay frozen, normalizing with their running statistics. <c>--rank</c> (up to 32)
/// and <c>--alpha</c> choose others.
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
[LoraAdapters(Rank = 8, MaxRank = 32, Alpha = 16, Targets = [9], Trainable = [10])]
public partial class CnnHead2Lora;
