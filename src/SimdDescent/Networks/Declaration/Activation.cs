namespace SimdDescent.Networks;

/// <summary>Element-wise activation functions a network declaration can name.</summary>
public enum Activation
{
    /// <summary>No activation (identity).</summary>
    None,

    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>x for x &gt; 0, else 0.01·x (PyTorch's default slope).</summary>
    LeakyRelu,

    /// <summary>1 / (1 + e^−x).</summary>
    Sigmoid,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>GELU, tanh approximation (PyTorch: <c>nn.GELU(approximate="tanh")</c>).</summary>
    Gelu,

    /// <summary>x·σ(x), also called swish.</summary>
    Silu,
}
