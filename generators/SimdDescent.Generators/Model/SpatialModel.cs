namespace SimdDescent.Generators.Model;

/// <summary>The image side of a layer that reads an NCHW image, per sample.</summary>
/// <param name="Channels">Input channels.</param>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
/// <param name="OutputChannels">Output channels (Conv2D: filters; otherwise the input's).</param>
/// <param name="OutputHeight">Output height (1 after GlobalAvgPool and Flatten's rows).</param>
/// <param name="OutputWidth">Output width.</param>
/// <param name="Kernel">Conv2D and pooling: the window side; otherwise 0.</param>
/// <param name="Stride">Conv2D and pooling: the step between windows; otherwise 0.</param>
/// <param name="Padding">Conv2D: zeros on each side; otherwise 0.</param>
/// <param name="Momentum">BatchNorm2D: the running statistics' momentum; otherwise 0.</param>
internal sealed record SpatialModel(
    int Channels,
    int Height,
    int Width,
    int OutputChannels,
    int OutputHeight,
    int OutputWidth,
    int Kernel,
    int Stride,
    int Padding,
    double Momentum)
{
    public int PlaneSize => Height * Width;

    public int OutputPlaneSize => OutputHeight * OutputWidth;

    /// <summary>Conv2D: elements of one receptive field, channels · kernel².</summary>
    public int PatchLength => Channels * Kernel * Kernel;
}
