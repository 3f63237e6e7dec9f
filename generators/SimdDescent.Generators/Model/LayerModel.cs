namespace SimdDescent.Generators.Model;

/// <summary>One declared layer, reduced to the values the emitter needs.</summary>
/// <param name="Kind">Which layer.</param>
/// <param name="Inputs">Width of the layer's input rows.</param>
/// <param name="Outputs">Width of its output rows (Dense: units; every other layer keeps the width).</param>
/// <param name="Activation">Dense: the fused activation; Activation layer: its function; otherwise None.</param>
/// <param name="HasBias">Dense: whether it has a bias vector.</param>
/// <param name="Initializer">Dense: the resolved initializer (never Auto).</param>
/// <param name="Value">LayerNorm: epsilon; Dropout: probability; otherwise 0.</param>
/// <param name="Seed">Dropout: the mask seed; otherwise 0.</param>
internal sealed record LayerModel(
    LayerKind Kind,
    int Inputs,
    int Outputs,
    ActivationKind Activation,
    bool HasBias,
    InitializerKind Initializer,
    double Value,
    ulong Seed)
{
    /// <summary>Layers that read an image: its shape in and out and the window; otherwise null.</summary>
    public SpatialModel? Spatial { get; init; }
}
