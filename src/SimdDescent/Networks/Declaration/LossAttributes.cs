namespace SimdDescent.Networks;

/// <summary>Loss: softmax over the last layer's outputs and cross-entropy against integer class labels (mean over the batch).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SoftmaxCrossEntropyAttribute : Attribute;

/// <summary>Loss: mean squared error against real-valued targets (mean over every output element).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MeanSquaredErrorAttribute : Attribute;

/// <summary>Loss: binary cross-entropy on logits against targets in [0, 1] (mean over every output element).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BinaryCrossEntropyWithLogitsAttribute : Attribute;
