namespace SimdDescent.Generators.Model;

// These mirror the library's public enums value for value (SimdDescent.Networks.Activation and
// Initializer); the generator reads the attribute's integer and never loads the library.

/// <summary>Element type of a network.</summary>
internal enum ElementKind
{
    Float,
    Double,
}

/// <summary>Mirror of SimdDescent.Networks.Activation.</summary>
internal enum ActivationKind
{
    None,
    Relu,
    LeakyRelu,
    Sigmoid,
    Tanh,
    Gelu,
    Silu,
}

/// <summary>Mirror of SimdDescent.Networks.Initializer.</summary>
internal enum InitializerKind
{
    Auto,
    He,
    Glorot,
    Zeros,
}

/// <summary>The layer attributes the generator understands.</summary>
internal enum LayerKind
{
    Dense,
    Activation,
    LayerNorm,
    Dropout,
    Conv2D,
    MaxPool2D,
    AvgPool2D,
    GlobalAvgPool,
    BatchNorm2D,
    Flatten,
}

/// <summary>The loss attributes the generator understands.</summary>
internal enum LossKind
{
    SoftmaxCrossEntropy,
    MeanSquaredError,
    BinaryCrossEntropyWithLogits,
}
