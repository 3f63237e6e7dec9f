namespace SimdDescent.Networks;

/// <summary>What a layer of a generated network computes (the loss is not a layer).</summary>
public enum LayerKind
{
    /// <summary>x·W + b with an optional fused activation.</summary>
    Dense,

    /// <summary>A standalone element-wise activation.</summary>
    Activation,

    /// <summary>Layer normalization over each row, with a learned scale and shift.</summary>
    LayerNorm,

    /// <summary>Inverted dropout while training; the identity in inference.</summary>
    Dropout,

    /// <summary>2-D convolution over NCHW images, with an optional fused activation.</summary>
    Conv2D,

    /// <summary>Max pooling over square windows of each channel.</summary>
    MaxPool2D,

    /// <summary>Average pooling over square windows of each channel.</summary>
    AvgPool2D,

    /// <summary>The mean of each channel's plane.</summary>
    GlobalAvgPool,

    /// <summary>Batch normalization per channel with running statistics.</summary>
    BatchNorm2D,

    /// <summary>An image read as a flat row; the data is not moved.</summary>
    Flatten,
}
