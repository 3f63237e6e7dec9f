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
    /// <summary>Features per input row; must be positive.</summary>
    public int Inputs { get; set; }

    /// <summary>The largest batch a workspace is sized for; must be positive.</summary>
    public int MaxBatch { get; set; }

    /// <summary>The element type, <c>typeof(float)</c> (the default) or <c>typeof(double)</c>.</summary>
    public Type ElementType { get; set; } = typeof(float);

    /// <summary>Seed of the deterministic initialization the constructor performs.</summary>
    public ulong Seed { get; set; } = 1;
}
