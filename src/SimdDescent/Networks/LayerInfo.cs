namespace SimdDescent.Networks;

/// <summary>
/// One layer of a network as declared, in forward order: what it computes, its row widths and the tensors of
/// the parameter arena it reads. Exporters (e.g. ONNX) rebuild the inference graph from these.
/// </summary>
/// <param name="Kind">What the layer computes.</param>
/// <param name="Inputs">Width of its input rows.</param>
/// <param name="Outputs">Width of its output rows (every kind but Dense keeps the width).</param>
public sealed record LayerInfo(LayerKind Kind, int Inputs, int Outputs)
{
    /// <summary>Dense: the fused activation; Activation: its function; otherwise <see cref="Networks.Activation.None"/>.</summary>
    public Activation Activation { get; init; }

    /// <summary>Dense: the [inputs, outputs] weight; LayerNorm: the scale; otherwise <see langword="null"/>.</summary>
    public TensorInfo? Weight { get; init; }

    /// <summary>Dense (unless declared without) and LayerNorm: the bias or shift; otherwise <see langword="null"/>.</summary>
    public TensorInfo? Bias { get; init; }

    /// <summary>LayerNorm: the epsilon added to the variance; otherwise 0.</summary>
    public double Epsilon { get; init; }

    /// <summary>Image layers (Conv2D, the poolings, BatchNorm2D, Flatten): channels of the NCHW image they read; otherwise 0.</summary>
    public int Channels { get; init; }

    /// <summary>Image layers: height of the image they read; otherwise 0.</summary>
    public int Height { get; init; }

    /// <summary>Image layers: width of the image they read; otherwise 0.</summary>
    public int Width { get; init; }

    /// <summary>Conv2D and the windowed poolings: the side of the square window; otherwise 0.</summary>
    public int Kernel { get; init; }

    /// <summary>Conv2D and the windowed poolings: the step between windows; otherwise 0.</summary>
    public int Stride { get; init; }

    /// <summary>Conv2D: the zeros added on each side of the image; otherwise 0.</summary>
    public int Padding { get; init; }

    /// <summary>Dropout: the probability of zeroing an element while training; otherwise 0.</summary>
    public double DropoutProbability { get; init; }
}
