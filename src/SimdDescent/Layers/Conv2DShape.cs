namespace SimdDescent.Layers;

/// <summary>
/// The geometry of a 2-D convolution over NCHW tensors: input [batch, inputChannels, height, width],
/// weight [outputChannels, inputChannels, kernelHeight, kernelWidth] (PyTorch's layout), zero padding on
/// every side, output [batch, outputChannels, OutputHeight, OutputWidth]. Sizes of the tensors and of the
/// workspace that <see cref="Conv2D"/> needs follow from it.
/// </summary>
public readonly record struct Conv2DShape
{
    /// <exception cref="ArgumentException">A size is not positive, the padding is negative, or the kernel is larger than the padded input.</exception>
    public Conv2DShape(int batch, int inputChannels, int height, int width, int outputChannels, int kernelHeight, int kernelWidth, int stride = 1, int padding = 0)
    {
        SpatialChecks.Positive(batch, inputChannels, height, width);
        SpatialChecks.Positive(outputChannels, nameof(outputChannels));
        SpatialChecks.Window(height, width, kernelHeight, kernelWidth, stride, padding);
        Batch = batch;
        InputChannels = inputChannels;
        Height = height;
        Width = width;
        OutputChannels = outputChannels;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>Images in the batch.</summary>
    public int Batch { get; }

    /// <summary>Channels of the input.</summary>
    public int InputChannels { get; }

    /// <summary>Input height.</summary>
    public int Height { get; }

    /// <summary>Input width.</summary>
    public int Width { get; }

    /// <summary>Channels of the output (filters).</summary>
    public int OutputChannels { get; }

    /// <summary>Kernel height.</summary>
    public int KernelHeight { get; }

    /// <summary>Kernel width.</summary>
    public int KernelWidth { get; }

    /// <summary>Step between windows, the same along both axes.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on each side of both axes.</summary>
    public int Padding { get; }

    /// <summary>(height + 2·padding − kernelHeight) / stride + 1.</summary>
    public int OutputHeight => ((Height + (2 * Padding) - KernelHeight) / Stride) + 1;

    /// <summary>(width + 2·padding − kernelWidth) / stride + 1.</summary>
    public int OutputWidth => ((Width + (2 * Padding) - KernelWidth) / Stride) + 1;

    /// <summary>Elements of one receptive field: inputChannels · kernelHeight · kernelWidth (a row of the weight matrix).</summary>
    public int PatchLength => InputChannels * KernelHeight * KernelWidth;

    /// <summary>Output positions over the batch: batch · OutputHeight · OutputWidth (the columns of the products, image by image).</summary>
    public int Positions => Batch * OutputHeight * OutputWidth;

    /// <summary>Elements of the input tensor.</summary>
    public int InputLength => Batch * InputChannels * Height * Width;

    /// <summary>Elements of the output tensor.</summary>
    public int OutputLength => Positions * OutputChannels;

    /// <summary>Elements of the weight tensor.</summary>
    public int WeightLength => OutputChannels * PatchLength;

    /// <summary>Elements of the column workspace: one image's patches, [PatchLength, OutputHeight · OutputWidth].</summary>
    public int ColumnsLength => PatchLength * OutputHeight * OutputWidth;
}
