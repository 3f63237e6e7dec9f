namespace SimdDescent.Layers;

/// <summary>
/// The geometry of a 2-D pooling window over an NCHW tensor [batch, channels, height, width] without
/// padding: output [batch, channels, OutputHeight, OutputWidth], windows kernel × kernel, stride apart.
/// </summary>
public readonly record struct Pool2DShape
{
    /// <exception cref="ArgumentException">A size is not positive or the window is larger than the input.</exception>
    public Pool2DShape(int batch, int channels, int height, int width, int kernel, int stride)
    {
        SpatialChecks.Positive(batch, channels, height, width);
        SpatialChecks.Window(height, width, kernel, kernel, stride, padding: 0);
        Batch = batch;
        Channels = channels;
        Height = height;
        Width = width;
        Kernel = kernel;
        Stride = stride;
    }

    /// <summary>Images in the batch.</summary>
    public int Batch { get; }

    /// <summary>Channels, pooled independently.</summary>
    public int Channels { get; }

    /// <summary>Input height.</summary>
    public int Height { get; }

    /// <summary>Input width.</summary>
    public int Width { get; }

    /// <summary>Window side.</summary>
    public int Kernel { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>(height − kernel) / stride + 1.</summary>
    public int OutputHeight => ((Height - Kernel) / Stride) + 1;

    /// <summary>(width − kernel) / stride + 1.</summary>
    public int OutputWidth => ((Width - Kernel) / Stride) + 1;

    /// <summary>Elements of the input tensor.</summary>
    public int InputLength => Batch * Channels * Height * Width;

    /// <summary>Elements of the output tensor.</summary>
    public int OutputLength => Batch * Channels * OutputHeight * OutputWidth;
}
