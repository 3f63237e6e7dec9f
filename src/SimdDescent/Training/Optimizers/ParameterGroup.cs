namespace SimdDescent.Training.Optimizers;

/// <summary>
/// Tensors that train with their own settings: another learning rate or weight decay, or none at all
/// (frozen, for fine-tuning). Tensors named by no group form the default group, which uses the
/// optimizer's own settings.
/// </summary>
public sealed class ParameterGroup
{
    /// <summary>Creates a group of the named tensors.</summary>
    /// <exception cref="ArgumentException">No tensor is named.</exception>
    public ParameterGroup(params string[] tensorNames)
    {
        ArgumentNullException.ThrowIfNull(tensorNames);
        if (tensorNames.Length == 0)
        {
            throw new ArgumentException("Expected at least one tensor name in a parameter group.", nameof(tensorNames));
        }

        TensorNames = [.. tensorNames];
    }

    /// <summary>The tensors of the group, by <see cref="Networks.TensorInfo.Name"/>.</summary>
    public IReadOnlyList<string> TensorNames { get; }

    /// <summary>The group's initial learning rate; null uses the optimizer's.</summary>
    public double? LearningRate { get; init; }

    /// <summary>The group's weight decay; null uses the optimizer's.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Whether the group's tensors stay unchanged (their optimizer state too).</summary>
    public bool IsFrozen { get; init; }
}
