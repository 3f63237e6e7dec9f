using SimdDescent.Networks;

namespace SimdDescent.Tests.IO.Checkpoints;

/// <summary>A small classifier without dropout (its masks follow the workspace's step count, which a checkpoint does not hold).</summary>
[Network(Inputs = 12, MaxBatch = 16, Seed = 3)]
[Dense(16, Activation.Relu)]
[LayerNorm]
[Dense(5)]
[SoftmaxCrossEntropy]
public partial class ResumableNetwork;
