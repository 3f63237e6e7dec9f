namespace SimdDescent.Networks;

/// <summary>
/// Declares a generated network on a <see langword="partial"/> class. The layer attributes that follow
/// (<see cref="DenseAttribute"/>, <see cref="ActivationLayerAttribute"/>, <see cref="LayerNormAttribute"/>,
/// <see cref="DropoutAttribute"/>) run in source order; a loss attribute comes last.
/// </summary>
/// <example>
/// <code>
/// [Network(Inputs = 784, MaxBatch = 64)]
/// [Dense(128, Activation.Relu)]
/// [Dense(10)]
/// [SoftmaxCrossEntropy]
/// public partial class FashionMlp;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Features per input row; must be positive. Implied by <see cref="Channels"/> · <see cref="Height"/> · <see cref="Width"/> for an image input.</summary>
    public int Inputs { get; set; }

    /// <summary>Channels of an image input (NCHW); set with <see cref="Height"/> and <see cref="Width"/> for convolutional layers.</summary>
    public int Channels { get; set; }

    /// <summary>Height of an image input, in pixels.</summary>
    public int Height { get; set; }

    /// <summary>Width of an image input, in pixels.</summary>
    public int Width { get; set; }

    /// <summary>The largest batch a workspace is sized for; must be positive.</summary>
    public int MaxBatch { get; set; }

    /// <summary>The element type, <c>typeof(float)</c> (the default) or <c>typeof(double)</c>.</summary>
    public Type ElementType { get; set; } = typeof(float);

    /// <summary>Seed of the deterministic initialization the constructor performs.</summary>
    public ulong Seed { get; set; } = 1;
}
