namespace SimdDescent.Networks;

/// <summary>What a network's loss compares its outputs with.</summary>
public enum TargetKind
{
    /// <summary>One integer class label per sample (softmax cross-entropy).</summary>
    ClassLabels,

    /// <summary><c>OutputWidth</c> real values per sample (mean squared error, binary cross-entropy).</summary>
    Values,
}
