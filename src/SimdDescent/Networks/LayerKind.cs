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
}
