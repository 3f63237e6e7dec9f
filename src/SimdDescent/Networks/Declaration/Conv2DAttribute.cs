namespace SimdDescent.Networks;

/// <summary>
/// A 2-D convolution over the image the previous layer produced (NCHW), as PyTorch's
/// <c>nn.Conv2d(in, filters, kernel, stride, padding)</c>: weight [filters, in, kernel, kernel], zero padding,
/// output [filters, (h + 2·padding − kernel)/stride + 1, (w + 2·padding − kernel)/stride + 1].
/// Needs an image input: declare <c>Channels</c>, <c>Height</c> and <c>Width</c> on the network, and no
/// <see cref="FlattenAttribute"/> before it.
/// </summary>
/// <param name="filters">Output channels; must be positive.</param>
/// <param name="kernel">Side of the square kernel; must be positive and fit the padded input.</param>
/// <param name="activation">Activation fused into the convolution's GEMM.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute(int filters, int kernel, Activation activation = Activation.None) : Attribute
{
    /// <summary>Output channels.</summary>
    public int Filters { get; } = filters;

    /// <summary>Side of the square kernel.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Activation fused into the convolution's GEMM.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>Step between windows along both axes (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added on each side of both axes (default 0; kernel / 2 keeps the size at stride 1).</summary>
    public int Padding { get; set; }

    /// <summary>Whether the layer has a bias per filter (default <see langword="true"/>; a convolution followed by batch normalization does not need one).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>How the weights are initialized (default: He for the ReLU family, Glorot otherwise).</summary>
    public Initializer Initializer { get; set; } = Initializer.Auto;
}
