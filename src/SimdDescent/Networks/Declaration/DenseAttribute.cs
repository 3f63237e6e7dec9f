namespace SimdDescent.Networks;

/// <summary>A fully connected layer, <c>Y = activation(X·W + b)</c> with W stored [inputs, units] row-major.</summary>
/// <param name="units">Outputs per row; must be positive.</param>
/// <param name="activation">Activation fused into the layer's GEMM.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.None) : Attribute
{
    /// <summary>Outputs per row.</summary>
    public int Units { get; } = units;

    /// <summary>Activation fused into the layer's GEMM.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>Whether the layer has a bias vector (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>How the weights are initialized (default: He for the ReLU family, Glorot otherwise).</summary>
    public Initializer Initializer { get; set; } = Initializer.Auto;
}
