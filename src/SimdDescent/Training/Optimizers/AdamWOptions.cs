namespace SimdDescent.Training.Optimizers;

/// <summary>Settings of <see cref="AdamW{T}"/>: those of Adam, with PyTorch's AdamW default weight decay of 1e-2.</summary>
public sealed class AdamWOptions : AdamOptions
{
    /// <summary>Creates the defaults.</summary>
    public AdamWOptions() => WeightDecay = 1e-2;
}
