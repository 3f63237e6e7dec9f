namespace SimdDescent.Networks;

/// <summary>Average pooling over kernel × kernel windows of each channel, as PyTorch's <c>nn.AvgPool2d(kernel, stride)</c>.</summary>
/// <param name="kernel">Side of the window; must fit the input.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute(int kernel) : Attribute
{
    /// <summary>Side of the window.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Step between windows (default: the kernel, so windows do not overlap).</summary>
    public int Stride { get; set; }
}
